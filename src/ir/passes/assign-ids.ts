/** Numbers allocation nodes in pre-order from 0: ids depend only on the tree's shape. */
import type { IrNode } from "../types.js";
import { forEachNode } from "../walk.js";

/** Assigns `id`s in place; returns the node count. */
export function assignIds(root: IrNode): number {
  let next = 0;
  forEachNode(root, (node) => {
    node.id = next++;
  });
  return next;
}

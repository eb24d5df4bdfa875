import { PGlite } from "@electric-sql/pglite";
for (const dir of ["memory://", "memory://", "/tmp/pgl/dir1", "/tmp/pgl/dir1"]) {
  const t0 = performance.now();
  const db = await PGlite.create(dir);
  const t1 = performance.now();
  await db.query("select 1");
  await db.close();
  console.log(dir, "open ms", Math.round(t1 - t0), "close", Math.round(performance.now() - t1));
}

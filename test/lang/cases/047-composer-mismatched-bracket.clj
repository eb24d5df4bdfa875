; S1101: a ')' where the open '[' needs a ']', and a stray ')' after the symphony
(defsymphony "Mismatched" {:asset-class "EQUITIES" :rebalance-frequency :daily}
  (weight-equal [(asset "SPY" nil) (asset "TLT" nil))))

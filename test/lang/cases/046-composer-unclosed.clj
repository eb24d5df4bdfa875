; S1101: a '(' that is never closed is reported at the opener, with where the file ends
(defsymphony "Unclosed" {:asset-class "EQUITIES" :rebalance-frequency :daily}
  (weight-equal [(asset "SPY" nil) (asset "TLT" nil)])

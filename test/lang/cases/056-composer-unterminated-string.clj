; S1003: a display name without its closing quote runs to the end of the file
(defsymphony "Open string" {:asset-class "EQUITIES" :rebalance-frequency :daily}
  (weight-equal [(asset "SPY" nil) (asset "TLT" "iShares 20+ Year Treasury Bond ETF)]))

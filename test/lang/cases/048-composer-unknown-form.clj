; S1102: an unknown node form and an unknown comparison, each with a did-you-mean
(defsymphony "Unknown forms" {:asset-class "EQUITIES" :rebalance-frequency :daily}
  (weight-equal
    [(asset "SPY" nil)
     (weight-equl [(asset "TLT" nil)])
     (if (>> (rsi "SPY" {:window 10}) 70) [(asset "UVXY" nil)] [(asset "BIL" nil)])]))

; S1103: forms with the wrong arguments: a symbol for a ticker, a weight missing, a one-sided comparison
(defsymphony "Shapes" {:asset-class "EQUITIES" :rebalance-frequency :daily}
  (weight-equal
    [(asset "BIL" nil)
     (asset SPY nil)
     (weight-specified 0.6 (asset "QQQ" nil) (asset "IEF" nil))
     (if (> (rsi "SPY" {:window 10})) [(asset "UVXY" nil)])
     (filter (rsi "SPY" {:window 10}) (select-top 1) [(asset "TQQQ" nil) (asset "SOXL" nil)])]))

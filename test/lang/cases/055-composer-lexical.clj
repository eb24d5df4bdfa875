; S1001 and S1008: a stray character and a bad escape in a ticker string, both reported
(defsymphony "Lexical" {:asset-class "EQUITIES" :rebalance-frequency :daily}
  (weight-equal
    [(asset "BRK\B" nil)
     @(asset "QQQ" nil)]))

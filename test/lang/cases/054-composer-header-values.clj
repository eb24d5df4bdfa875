; S1107: a threshold written as a string, and a header key given twice
(defsymphony "Header values" {:asset-class "EQUITIES"
                              :rebalance-threshold "5%"
                              :asset-class "EQUITIES"}
  (asset "SPY" nil))

; S1104: anything after the defsymphony form is an error
(defsymphony "Trailing" {:asset-class "EQUITIES" :rebalance-frequency :daily}
  (asset "SPY" nil))
(asset "QQQ" nil)

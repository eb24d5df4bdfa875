; S1106 and S1107: an unknown header key and header values of the wrong kind
(defsymphony "Header" {:asset-class EQUITIES
                       :rebalance-frequency :fortnightly
                       :rebalance-treshold 0.05}
  (asset "SPY" nil))

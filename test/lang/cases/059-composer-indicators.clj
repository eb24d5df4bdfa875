; S2002 and S2008 from Composer: an unknown indicator and windows that are not positive whole numbers
(defsymphony "Windows" {:asset-class "EQUITIES" :rebalance-frequency :daily}
  (weight-equal
    [(if (> (moving-average-prize "SPY" {:window 200}) (moving-average-price "SPY" {:window 0}))
       [(asset "SPY" nil)]
       [(asset "BIL" nil)])
     (filter (rsi {:window 2.5}) (select-top 1) [(asset "TLT" nil) (asset "BIL" nil)])
     (asset "GLD" nil)]))

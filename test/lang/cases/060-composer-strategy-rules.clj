; S3001, S3005 and S3006 from Composer: weights that sum to 90%, a 150% threshold, a top-0 filter
(defsymphony "Rules" {:asset-class "EQUITIES" :rebalance-threshold 1.5}
  (weight-equal
    [(weight-specified 0.6 (asset "SPY" nil) 0.3 (asset "TLT" nil))
     (filter (rsi {:window 10}) (select-top 0) [(asset "TQQQ" nil) (asset "SOXL" nil)])]))

; S1010: malformed numbers (an exponent, a trailing dot, a letter O for a zero), each reported once
(defsymphony "Numbers" {:asset-class "EQUITIES" :rebalance-threshold 5e-2}
  (weight-equal
    [(if (< (cumulative-return "SPY" {:window 5}) -6.) [(asset "UVXY" nil)] [(asset "SPY" nil)])
     (filter (rsi {:window 1O}) (select-top 1) [(asset "TQQQ" nil) (asset "SOXL" nil)])]))

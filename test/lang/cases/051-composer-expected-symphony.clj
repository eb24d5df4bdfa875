; S1105: a file whose top-level form is not (defsymphony ...)
(weight-equal [(asset "SPY" nil) (asset "TLT" nil)])

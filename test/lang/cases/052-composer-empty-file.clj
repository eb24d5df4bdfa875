; S1105: a file holding only comments has no symphony at all

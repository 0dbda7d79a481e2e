"""Academic years, terms (periods), holidays, and the college's clock (``clock``: its time zone,
today at the college, the day of an instant)."""

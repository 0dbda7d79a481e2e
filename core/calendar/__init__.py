"""Academic years, terms (periods) and holidays."""

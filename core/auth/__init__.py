"""Sign-in, sign-out and passwords."""

"""The administrator's pages: policy values, settings, «О системе», audit log."""

"""What happens just before every commit, in a fixed order.

Event handlers run first (they may write rows and audit entries), then the audit entries of the
whole transaction are chained and written.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from core import audit, events


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    events.run_in_transaction(session)
    audit.write_pending(session)

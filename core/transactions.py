"""What happens just before every commit, in a fixed order.

Event handlers run first (they may write rows and audit entries), then the audit entries of the
whole transaction are chained and written. Releasing a savepoint is not a commit: what was
queued inside it waits for the transaction's own commit.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from core import audit, events


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint is released: the transaction goes on, and so do its events
    events.run_in_transaction(session)
    audit.write_pending(session)

"""Announcements: writing, editing and withdrawing them (audited), what a user sees (one query
for a list, whatever its size), and the mail of a published one through the outbox.

Who may write for which audience and whom an announcement concerns is decided in
``core.people.scope`` (``may_announce_to``, ``announcement_reach``); here only its state
(published, expired, withdrawn) is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, false, func, or_, select, true

from core import audit, events
from core.calendar.clock import college_day, college_zone
from core.errors import Conflict, DomainError, NotFound
from core.extensions import db
from core.models import utcnow
from core.people import scope
from core.people.models import Group, User, full_name
from plugins.announcements.events import AnnouncementPublished
from plugins.announcements.models import EVENT, NOTICE, Announcement

PER_PAGE = 20
WIDGET_LIMIT = 5
MAX_TITLE = 200
MAX_BODY = 10_000
MAX_PLACE = 200
#: a notice without an expiry date is shown for this many days
NOTICE_DAYS = 14

def kind_title(kind: str) -> str:
    return _("Мероприятие") if kind == EVENT else _("Объявление")


# --- the audience ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    kind: str  # scope.ANNOUNCEMENT_AUDIENCES
    group_id: int | None = None
    course: int | None = None

    @property
    def value(self) -> str:
        number = self.group_id if self.kind == "group" else self.course
        return f"{self.kind}:{'' if number is None else number}"


def parse_audience(value: str | None) -> Audience | None:
    """``college:``, ``staff:``, ``course:<n>``, ``group:<id>``; anything else ``None``."""
    kind, _sep, number = (value or "").partition(":")
    if kind in ("college", "staff") and not number:
        return Audience(kind)
    if kind in ("course", "group") and number.isascii() and number.isdigit() \
            and len(number) < 10:
        return Audience("group", group_id=int(number)) if kind == "group" \
            else Audience("course", course=int(number))
    return None


def describe(audience: str, group_name: str | None, course: int | None) -> str:
    if audience == "group":
        return _("Группа %(group)s", group=group_name or "")
    if audience == "course":
        return _("%(course)s курс", course=course)
    if audience == "staff":
        return _("Сотрудники")
    return _("Весь колледж")


def audience_choices(user) -> list[tuple[str, str]]:
    """The audiences ``user`` may publish for, for a select list."""
    query = select(Group.id, Group.name, Group.course).where(Group.graduated.is_(False)) \
        .order_by(Group.course, Group.name)
    if not scope.is_announcer(user):
        query = query.where(Group.id.in_(scope.curated_group_ids(user)))
    groups = db.session.execute(query).all()
    found: list[tuple[str, str]] = []
    if scope.is_announcer(user):
        found += [(Audience("college").value, describe("college", None, None)),
                  (Audience("staff").value, describe("staff", None, None))]
        found += [(Audience("course", course=course).value, describe("course", None, course))
                  for course in sorted({row.course for row in groups})]
    found += [(Audience("group", group_id=row.id).value, describe("group", row.name, None))
              for row in groups]
    return found


# --- times in the college's zone --------------------------------------------------------------


def local_instant(day: date, at: time = time(0, 0)) -> datetime:
    """The UTC instant of a wall-clock time of the college's zone."""
    return datetime.combine(day, at, tzinfo=college_zone()).astimezone(UTC)


def last_day(item: Announcement) -> date:
    """The last college day an announcement is shown."""
    return college_day(item.expires_at - timedelta(microseconds=1))


def end_of(day: date) -> datetime:
    """The instant a day of the college ends (its next midnight), in UTC."""
    return local_instant(day + timedelta(days=1))


@dataclass(frozen=True)
class Draft:
    """What a form gives: the texts, the audience value and the days and times as entered."""

    kind: str
    title: str
    body: str
    audience: str
    event_day: date | None = None
    event_time: time | None = None
    ends_time: time | None = None
    place: str = ""
    publish_on: date | None = None
    expires_on: date | None = None
    email: bool = False


@dataclass(frozen=True)
class Schedule:
    starts_at: datetime | None
    ends_at: datetime | None
    publish_at: datetime
    expires_at: datetime


def _schedule(draft: Draft, now: datetime, published: datetime | None = None) -> Schedule:
    """When it is shown: from the publication day (now when today or none; an edit of one
    already ``published`` keeps that instant), to the end of the expiry day; an event without
    one expires at the end of its day, a notice after ``NOTICE_DAYS``."""
    today = college_day(now)
    if draft.publish_on is not None and draft.publish_on > today:
        publish_at = local_instant(draft.publish_on)
    else:
        publish_at = published if published is not None and published <= now else now
    starts_at = ends_at = None
    if draft.kind == EVENT:
        if draft.event_day is None or draft.event_time is None:
            raise DomainError(_("Укажите дату и время мероприятия."))
        starts_at = local_instant(draft.event_day, draft.event_time)
        if draft.ends_time is not None:
            if draft.ends_time <= draft.event_time:
                raise DomainError(_("Мероприятие должно заканчиваться позже, чем начинается."))
            ends_at = local_instant(draft.event_day, draft.ends_time)
    if draft.expires_on is not None:
        expires_at = end_of(draft.expires_on)
    elif starts_at is not None:
        expires_at = end_of(draft.event_day)
    else:
        expires_at = end_of(college_day(publish_at) + timedelta(days=NOTICE_DAYS))
    if expires_at <= publish_at:
        raise DomainError(_("Объявление снимается раньше, чем публикуется: проверьте даты."))
    return Schedule(starts_at, ends_at, publish_at, expires_at)


def _clean(text: str, limit: int) -> str:
    return (text or "").replace("\x00", "").strip()[:limit]


def _audience_or_404(user, value: str) -> Audience:
    audience = parse_audience(value)
    if audience is None or not scope.may_announce_to(user, audience.kind, audience.group_id,
                                                     audience.course):
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    return audience


def _snapshot(item: Announcement) -> dict:
    return {"kind": item.kind, "title": item.title, "audience": item.audience,
            "group_id": item.group_id, "course": item.course, "starts_at": item.starts_at,
            "place": item.place, "publish_at": item.publish_at, "expires_at": item.expires_at,
            "email": item.email}


def _fill(item: Announcement, draft: Draft, audience: Audience, now: datetime) -> None:
    if draft.kind not in (NOTICE, EVENT):
        raise DomainError(_("Выберите вид: объявление или мероприятие."))
    title = _clean(draft.title, MAX_TITLE)
    if not title:
        raise DomainError(_("Укажите заголовок."))
    when = _schedule(draft, now, item.publish_at)
    item.kind, item.title, item.body = draft.kind, title, _clean(draft.body, MAX_BODY)
    item.audience, item.group_id, item.course = audience.kind, audience.group_id, audience.course
    item.starts_at, item.ends_at = when.starts_at, when.ends_at
    item.place = _clean(draft.place, MAX_PLACE) if draft.kind == EVENT else ""
    item.publish_at, item.expires_at = when.publish_at, when.expires_at
    item.email = bool(draft.email)
    item.updated_at = now


def publish(author: User, draft: Draft, at: datetime | None = None) -> Announcement:
    """A new announcement of ``author``; an audience outside their reach is a 404. Mailed now
    when asked and already published (later by the worker's job otherwise)."""
    now = at or utcnow()
    audience = _audience_or_404(author, draft.audience)
    item = Announcement(author_id=author.id, created_at=now)
    _fill(item, draft, audience, now)
    mail_now = _mail_due_now(item, now)
    if mail_now:
        item.mailed_at = now  # in the INSERT: the row's version stays 1
    db.session.add(item)
    db.session.flush()
    audit.record("announcements.publish", item, after=_snapshot(item), actor=author)
    if mail_now:
        _emit_mail(item, now)
    return item


def edit(user: User, item: Announcement, draft: Draft, version: int | None,
         at: datetime | None = None) -> Announcement:
    """Change an announcement (its author or the administration), refused when someone else
    changed it since ``version`` was read (409)."""
    now = at or utcnow()
    if not scope.may_edit_announcement(user, item.author_id):
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    if item.withdrawn_at is not None:
        raise DomainError(_("Объявление снято, его уже не изменить."))
    if version is not None and version != item.version:
        raise Conflict(_("Объявление уже изменили, пока вы его правили: откройте его заново."))
    audience = _audience_or_404(user, draft.audience)
    before = _snapshot(item)
    _fill(item, draft, audience, now)
    audit.record("announcements.edit", item, before=before, after=_snapshot(item), actor=user)
    db.session.flush()
    mail_if_due(item, now)
    return item


def withdraw(user: User, item: Announcement, at: datetime | None = None) -> None:
    """Take an announcement down (its author or the administration); the row and its history
    stay."""
    if not scope.may_edit_announcement(user, item.author_id):
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    if item.withdrawn_at is not None:
        return
    item.withdrawn_at, item.withdrawn_by_id = at or utcnow(), user.id
    audit.record("announcements.withdraw", item, before=_snapshot(item), actor=user)
    db.session.flush()


# --- the mail -------------------------------------------------------------------------------


def _mail_due_now(item: Announcement, now: datetime) -> bool:
    return item.email and item.mailed_at is None and item.withdrawn_at is None \
        and item.publish_at <= now < item.expires_at


def mail_if_due(item: Announcement, now: datetime) -> bool:
    """Raise ``announcement.published`` once for a published announcement that asks for mail:
    the notification plugins write one outbox row per recipient (by the announcement's key)."""
    if not _mail_due_now(item, now):
        return False
    item.mailed_at = now
    _emit_mail(item, now)
    return True


def _emit_mail(item: Announcement, now: datetime) -> None:
    recipients = [user_id for user_id in scope.announcement_recipients(
        item.audience, item.group_id, item.course, college_day(now)) if user_id != item.author_id]
    events.emit(AnnouncementPublished(
        announcement_id=item.id, recipient_ids=tuple(recipients), title=item.title,
        kind=item.kind, when=_when_text(item), place=item.place or "",
        endpoint="announcements.detail", values={"announcement_id": item.id},
        key=f"announcement:{item.id}"))


def _when_text(item: Announcement) -> str:
    if item.starts_at is None:
        return ""
    return item.starts_at.astimezone(college_zone()).strftime("%d.%m.%Y %H:%M")


def mail_due(now: datetime | None = None) -> int:
    """The worker's job: mail the announcements whose publication day has come."""
    now = now or utcnow()
    due = list(db.session.scalars(select(Announcement).where(
        Announcement.email.is_(True), Announcement.mailed_at.is_(None),
        Announcement.withdrawn_at.is_(None), Announcement.publish_at <= now,
        Announcement.expires_at > now).order_by(Announcement.id).limit(100)))
    count = sum(mail_if_due(item, now) for item in due)
    db.session.commit()
    return count


# --- reading --------------------------------------------------------------------------------


def _reach_clause(reach: scope.Reach) -> ColumnElement[bool]:
    """SQL of ``Reach.covers`` (the same rule, for a list)."""
    parts = []
    if reach.college:
        parts.append(Announcement.audience == "college")
    if reach.staff:
        parts.append(Announcement.audience == "staff")
    if reach.courses is None:
        parts.append(Announcement.audience == "course")
    elif reach.courses:
        parts.append(and_(Announcement.audience == "course",
                          Announcement.course.in_(sorted(reach.courses))))
    if reach.group_ids is None:
        parts.append(Announcement.audience == "group")
    elif reach.group_ids:
        parts.append(and_(Announcement.audience == "group",
                          Announcement.group_id.in_(sorted(reach.group_ids))))
    return or_(*parts) if parts else false()


def _shown(now: datetime) -> ColumnElement[bool]:
    return and_(Announcement.withdrawn_at.is_(None), Announcement.publish_at <= now,
                Announcement.expires_at > now)


@dataclass(frozen=True)
class Row:
    """An announcement in a list (plain values)."""

    id: int
    kind: str
    title: str
    audience: str
    starts_at: datetime | None
    place: str
    publish_at: datetime
    expires_at: datetime
    withdrawn: bool
    author: str
    audience_title: str

    @property
    def is_event(self) -> bool:
        return self.kind == EVENT


def _rows(where: ColumnElement[bool], order, limit: int, offset: int = 0
          ) -> tuple[list[Row], int]:
    """One query: the rows of a page and the total (a window count)."""
    query = (select(Announcement.id, Announcement.kind, Announcement.title,
                    Announcement.audience, Announcement.starts_at, Announcement.place,
                    Announcement.publish_at, Announcement.expires_at,
                    Announcement.withdrawn_at, Announcement.course,
                    User.last_name, User.first_name, User.middle_name, Group.name,
                    func.count().over().label("total"))
             .join(User, User.id == Announcement.author_id)
             .outerjoin(Group, Group.id == Announcement.group_id)
             .where(where).order_by(*order).limit(limit).offset(offset))
    found = db.session.execute(query).all()
    rows = [Row(r.id, r.kind, r.title, r.audience, r.starts_at, r.place, r.publish_at,
                r.expires_at, r.withdrawn_at is not None,
                full_name(r.last_name, r.first_name, r.middle_name),
                describe(r.audience, r.name, r.course)) for r in found]
    return rows, (found[0].total if found else 0)


def _current_order():
    # events first by their time, then notices, newest first
    return (Announcement.starts_at.is_(None), Announcement.starts_at,
            Announcement.publish_at.desc(), Announcement.id.desc())


LISTS = ("current", "past", "manage")


def listing(user, which: str, page: int = 1, now: datetime | None = None
            ) -> tuple[list[Row], int]:
    """A page of the user's announcements: ``current`` (shown now), ``past`` (expired) or, for
    those who write them, ``manage`` (their own; the administration's: every one, in any
    state). One query, whatever the size."""
    now = now or utcnow()
    offset = (max(page, 1) - 1) * PER_PAGE
    reach = _reach_clause(scope.announcement_reach(user, college_day(now), overseeing=True))
    if which == "manage":
        if not scope.may_announce(user):
            raise NotFound(_("Такой страницы нет или она вам недоступна."))
        where = true() if scope.is_announcer(user) else Announcement.author_id == user.id
        return _rows(where, (Announcement.publish_at.desc(), Announcement.id.desc()),
                     PER_PAGE, offset)
    if which == "past":
        where = and_(reach, Announcement.withdrawn_at.is_(None), Announcement.expires_at <= now)
        return _rows(where, (Announcement.expires_at.desc(), Announcement.id.desc()),
                     PER_PAGE, offset)
    return _rows(and_(reach, _shown(now)), _current_order(), PER_PAGE, offset)


def widget_rows(reach: scope.Reach, now: datetime | None = None) -> tuple[list[Row], int]:
    """The first current announcements of a reach (the home page, the diary) and how many
    there are."""
    now = now or utcnow()
    return _rows(and_(_reach_clause(reach), _shown(now)), _current_order(), WIDGET_LIMIT)


def may_read(user, item: Announcement, now: datetime | None = None) -> bool:
    """Its author and the administration always; anyone else while it is published and not
    withdrawn (expired ones stay readable) if it concerns them."""
    if not user.is_authenticated:
        return False
    if scope.may_edit_announcement(user, item.author_id):
        return True
    now = now or utcnow()
    if item.withdrawn_at is not None or item.publish_at > now:
        return False
    reach = scope.announcement_reach(user, college_day(now), overseeing=True)
    return reach.covers(item.audience, item.group_id, item.course)


def announcement_or_404(user, announcement_id: int) -> Announcement:
    return scope.require(user, db.session.get(Announcement, announcement_id))


def author_name(item: Announcement) -> str:
    author = db.session.get(User, item.author_id)
    return author.short_name if author else ""


def audience_title(item: Announcement) -> str:
    name = db.session.scalar(select(Group.name).where(Group.id == item.group_id)) \
        if item.group_id else None
    return describe(item.audience, name, item.course)

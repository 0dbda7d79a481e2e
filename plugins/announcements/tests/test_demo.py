"""The demo college's announcements: a college-wide open day, a course announcement, a
curator's parent meeting for their group and a staff teachers' council, shown to whom they
concern."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.demo import load_demo
from core.extensions import db
from core.people.models import Group, GroupMembership, Guardian, StudentGuardian, User
from core.people.scope import announcement_reach
from plugins.announcements import services
from plugins.announcements.models import Announcement

TODAY = date(2026, 11, 25)


def test_demo_announcements_for_the_college_a_course_a_group_and_the_staff(demo_day_app):
    with demo_day_app.test_request_context():
        load_demo(seed=2026, today=TODAY)
        made = {row.title: row for row in db.session.scalars(select(Announcement))}
        assert made["День открытых дверей"].audience == "college"
        assert made["День открытых дверей"].is_event
        assert made["Педагогический совет"].audience == "staff"
        course = next(row for title, row in made.items() if title.startswith("Расписание"))
        assert course.audience == "course"
        meeting = next(row for title, row in made.items()
                       if title.startswith("Родительское собрание"))
        group = db.session.get(Group, meeting.group_id)
        assert meeting.audience == "group" and meeting.author_id == group.curator_id
        assert not any(row.mailed_at for row in made.values())

        parent = db.session.scalar(
            select(User).join(Guardian, Guardian.user_id == User.id)
            .join(StudentGuardian, StudentGuardian.guardian_id == Guardian.id)
            .where(StudentGuardian.student_id.in_(
                select(GroupMembership.student_id).where(GroupMembership.group_id == group.id,
                                                         GroupMembership.left_on.is_(None))))
            .limit(1))
        rows, _total = services.widget_rows(announcement_reach(parent))
        titles = {row.title for row in rows}
        assert meeting.title in titles and "День открытых дверей" in titles
        assert "Педагогический совет" not in titles

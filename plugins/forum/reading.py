"""Reading the forum: the sections with their counts, a section's topics with the reader's
unread markers, a topic's posts as the reader may see them, a post's history, search, and the
menu's count of topics with unread posts. Each list is a fixed number of queries, whatever its
length (column rows, no entity per row)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from core import markup
from core.extensions import db
from core.people.models import User, short_name
from plugins.forum import rights
from plugins.forum.models import Attachment, Post, PostRevision, ReadMark, Section, Topic

TOPICS_PER_PAGE = 30
POSTS_PER_PAGE = 20
RESULTS_PER_PAGE = 20
MAX_QUERY = 100


def pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def _read_up_to(user):
    """The reader's marker in each topic (0 when never opened), as a joinable subquery."""
    return select(ReadMark.topic_id, ReadMark.last_post_id).where(
        ReadMark.user_id == user.id).subquery()


def _unread(marks):
    """Whether a topic (``Topic``) has a post after the reader's marker."""
    return Topic.last_post_id > func.coalesce(marks.c.last_post_id, 0)


def unread_topic_count(user) -> int:
    """Topics with a post the reader has not seen (the menu's badge): one query."""
    if not rights.may_see(user):
        return 0
    marks = _read_up_to(user)
    return db.session.scalar(
        select(func.count(Topic.id)).outerjoin(marks, marks.c.topic_id == Topic.id)
        .where(_unread(marks))) or 0


@dataclass(frozen=True)
class SectionRow:
    id: int
    title: str
    description: str
    topics: int
    posts: int
    unread: int
    last_post_at: datetime | None


def section_rows(user) -> list[SectionRow]:
    """Every section, in order, with its topics, posts and topics unread by ``user``: one query."""
    marks = _read_up_to(user)
    rows = db.session.execute(
        select(Section.id, Section.title, Section.description, func.count(Topic.id),
               func.coalesce(func.sum(Topic.post_count), 0),
               func.coalesce(func.sum(case((_unread(marks), 1), else_=0)), 0),
               func.max(Topic.last_post_at))
        .outerjoin(Topic, Topic.section_id == Section.id)
        .outerjoin(marks, marks.c.topic_id == Topic.id)
        .group_by(Section.id, Section.title, Section.description, Section.position)
        .order_by(Section.position, Section.id))
    return [SectionRow(*row) for row in rows]


@dataclass(frozen=True)
class TopicRow:
    id: int
    title: str
    pinned: bool
    closed: bool
    posts: int
    author: str
    last_author: str
    last_post_at: datetime
    #: posts after the reader's marker
    unread: int

    @property
    def first_unread_page(self) -> int:
        return pages(self.posts - self.unread + 1, POSTS_PER_PAGE)


def topic_rows(user, section: Section, page: int = 1) -> tuple[list[TopicRow], int]:
    """A page of the section's topics (pinned first, then the latest post first) with the
    reader's unread counts, and how many topics there are: two queries."""
    marks = _read_up_to(user)
    author, last = aliased(User), aliased(User)
    unread = (select(func.count(Post.id)).where(
        Post.topic_id == Topic.id, Post.id > func.coalesce(marks.c.last_post_id, 0))
        .correlate(Topic, marks).scalar_subquery())
    total = db.session.scalar(select(func.count(Topic.id))
                              .where(Topic.section_id == section.id)) or 0
    rows = db.session.execute(
        select(Topic.id, Topic.title, Topic.pinned, Topic.closed, Topic.post_count,
               author.last_name, author.first_name, author.middle_name,
               last.last_name, last.first_name, last.middle_name, Topic.last_post_at,
               case((_unread(marks), unread), else_=0))
        .join(author, author.id == Topic.author_id)
        .outerjoin(last, last.id == Topic.last_author_id)
        .outerjoin(marks, marks.c.topic_id == Topic.id)
        .where(Topic.section_id == section.id)
        .order_by(Topic.pinned.desc(), Topic.last_post_at.desc(), Topic.id.desc())
        .limit(TOPICS_PER_PAGE).offset((page - 1) * TOPICS_PER_PAGE))
    found = []
    for (topic_id, title, pinned, closed, posts, a_last, a_first, a_middle, l_last, l_first,
         l_middle, last_at, unread_count) in rows:
        found.append(TopicRow(topic_id, title, pinned, closed, posts,
                              short_name(a_last, a_first, a_middle),
                              short_name(l_last, l_first, l_middle) if l_last else "",
                              last_at, unread_count or 0))
    return found, total


@dataclass(frozen=True)
class FileView:
    id: int
    filename: str
    size: int


@dataclass
class PostView:
    id: int
    author_id: int
    author: str
    created_at: datetime
    edited_at: datetime | None
    hidden: bool
    hidden_reason: str
    #: the rendered text, or ``None`` when it is hidden from the reader
    html: Markup | None
    unread: bool
    may_edit: bool
    files: list[FileView] = field(default_factory=list)
    history: int = 0


def read_marker(user, topic: Topic) -> int:
    return db.session.scalar(select(ReadMark.last_post_id).where(
        ReadMark.topic_id == topic.id, ReadMark.user_id == user.id)) or 0


def post_page(topic: Topic, post_id: int) -> int:
    """The page of ``topic`` that shows ``post_id``."""
    before = db.session.scalar(select(func.count(Post.id)).where(
        Post.topic_id == topic.id, Post.id <= post_id)) or 1
    return pages(before, POSTS_PER_PAGE)


def posts(user, topic: Topic, page: int, at: datetime) -> list[PostView]:
    """A page of the topic's posts as ``user`` sees them: a hidden post's text only to
    moderators, the others read «Сообщение скрыто модератором: причина» (the template)."""
    moderator = rights.may_moderate(user)
    marker = read_marker(user, topic)
    rows = list(db.session.execute(
        select(Post, User.last_name, User.first_name, User.middle_name)
        .join(User, User.id == Post.author_id).where(Post.topic_id == topic.id)
        .order_by(Post.id).limit(POSTS_PER_PAGE).offset((page - 1) * POSTS_PER_PAGE)))
    ids = [post.id for post, *_name in rows]
    files: dict[int, list[FileView]] = {}
    history: dict[int, int] = {}
    if ids:
        for post_id, file_id, filename, size in db.session.execute(
                select(Attachment.post_id, Attachment.id, Attachment.filename, Attachment.size)
                .where(Attachment.post_id.in_(ids)).order_by(Attachment.id)):
            files.setdefault(post_id, []).append(FileView(file_id, filename, size))
        if moderator:
            history = dict(db.session.execute(
                select(PostRevision.post_id, func.count(PostRevision.id))
                .where(PostRevision.post_id.in_(ids)).group_by(PostRevision.post_id)).all())
    found = []
    for post, last, first, middle in rows:
        visible = not post.hidden or moderator
        found.append(PostView(
            post.id, post.author_id, short_name(last, first, middle), post.created_at,
            post.edited_at, post.hidden, post.hidden_reason,
            markup.render(post.body) if visible else None, post.id > marker,
            rights.may_edit(user, post, at),
            files.get(post.id, []) if visible else [], history.get(post.id, 0)))
    return found


@dataclass(frozen=True)
class RevisionView:
    kind: str
    body: str
    reason: str
    actor: str
    at: datetime


def history(post: Post) -> list[RevisionView]:
    """The post's changes, oldest first (for moderators)."""
    return [RevisionView(revision.kind, revision.body, revision.reason,
                         short_name(last, first, middle), revision.at)
            for revision, last, first, middle in db.session.execute(
                select(PostRevision, User.last_name, User.first_name, User.middle_name)
                .join(User, User.id == PostRevision.actor_id)
                .where(PostRevision.post_id == post.id).order_by(PostRevision.id))]


@dataclass(frozen=True)
class SearchRow:
    post_id: int
    topic_id: int
    topic_title: str
    section_title: str
    author: str
    created_at: datetime
    #: a preview of the text, or ``None`` when it is hidden from the reader
    preview: str | None


def _like(query: str) -> str:
    escaped = query.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def clean_query(query: str | None) -> str:
    return " ".join((query or "").split())[:MAX_QUERY]


def search(user, query: str, page: int = 1) -> tuple[list[SearchRow], int]:
    """The posts whose text, or whose topic's title (its first post), holds ``query``, newest
    first, as ``user`` may see them (a hidden post's text is searched for moderators only);
    a page of them and how many there are."""
    query = clean_query(query)
    if not query or not rights.may_see(user):
        return [], 0
    pattern = _like(query)
    in_text = Post.folded.like(pattern, escape="\\")
    if not rights.may_moderate(user):
        in_text = and_(in_text, Post.hidden.is_(False))
    where = or_(in_text, and_(Post.id == Topic.first_post_id,
                              Topic.folded_title.like(pattern, escape="\\")))
    base = select(Post.id).join(Topic, Topic.id == Post.topic_id).where(where)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    moderator = rights.may_moderate(user)
    rows = db.session.execute(
        select(Post.id, Topic.id, Topic.title, Section.title, User.last_name, User.first_name,
               User.middle_name, Post.created_at, Post.body, Post.hidden)
        .join(Topic, Topic.id == Post.topic_id).join(Section, Section.id == Topic.section_id)
        .join(User, User.id == Post.author_id).where(where)
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(RESULTS_PER_PAGE).offset((page - 1) * RESULTS_PER_PAGE))
    return [SearchRow(post_id, topic_id, title, section, short_name(last, first, middle), at,
                      markup.plain(body, 240) if moderator or not hidden else None)
            for post_id, topic_id, title, section, last, first, middle, at, body, hidden
            in rows], total

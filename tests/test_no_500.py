"""No page answers odd input with a 500: every route of ``app.url_map``, every method, every
role, with values of every odd class in the path, the query string, the form and a JSON body.

Nothing is listed per route: the requests are generated from the URL map and from what each view
reads, which a recording request class notes (every query parameter, form field and JSON key a
view asks for, once the app's own checks before the view are done). For each rule:

1. every role sends a request with valid values (the world's ids for path arguments and for the
   parameters that name rows; values seen in the links and forms of earlier pages for the
   others), except that every name an earlier role's view read carries an odd value, a class
   each; the first role whose view reads a name thus finds it, the later ones try it;
2. the classes no role has tried yet are tried by the roles whose view read the name, in turn,
   several names in one request; a class counts as tried only when the view read its name in
   that request, so a parameter behind another (``student_id`` after ``lesson_id``) is tried
   once the first is valid again; then every role whose view read a name tries each class
   on it that it has not sent itself (every role × every class);
3. every path argument gets every class: one the URL map lets through is requested (the roles in
   turn); one it refuses reaches no view, so the refusal is checked for each class and one such
   URL requested a route;
4. every POST route gets a JSON body of the wrong shape from every role that got into its view
   (the shapes in turn); a view that reads JSON gets a valid body whose keys are then tried the
   same way, with the wrong JSON types among the classes;
5. every role whose view read names sends them all with a NUL character (PostgreSQL's text
   cannot hold one; the app refuses such a value before any view: one request a role and URL).

Every request runs in a savepoint rolled back afterwards: each starts from the same world.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import parse_qsl, quote, urlsplit

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from core.extensions import db, limiter
from core.people.roles import Role
from tests import no500_world

ROLES = [*Role, None]  # the administrator first: their pages find most names for the others
#: the odd values of a path argument, a query parameter or a form field, by class
VALUES = {
    "beyond 64 bits": str(2**64),
    "5000 digits": "9" * 5000,
    "negative": "-1",
    "zero": "0",
    "first date": "0001-01-01",
    "last date": "9999-12-31",
    "month 00": "0000-00",
    "first month": "0001-01",
    "last month": "9999-12",
    "non-ASCII": "нет-такого ½ ٣",
    "empty": "",
}
#: a NUL character, which PostgreSQL's text cannot hold (step 5)
NUL = "a\x00b"
#: a path argument's: the above and NUL
PATH_VALUES = {**VALUES, "NUL": NUL}
#: a JSON key's odd values: the above as strings, and the wrong JSON types
JSON_VALUES = {**PATH_VALUES, "list": [67], "object": {"id": 67}, "true": True, "float": 67.5,
               "nested": [[{"id": [67]}]], "null": None, "number beyond 64 bits": 2**64,
               "negative number": -1}
#: whole JSON bodies of the wrong shape
JSON_BODIES = {"list": [67], "number": 67, "string": "67", "null": None, "true": True,
               "nested": [[{"cells": [67]}]], "cells an object": {"cells": {"id": 67}},
               "cells of lists": {"cells": [[67]]}}
LAST_ENDPOINTS = {"auth.logout"}  # it ends the session: tried after every other route
MAX_ROUNDS = 8 * len(JSON_VALUES)  # a rule's extra requests (step 2), at most
EVERY_NAME = "*"  # the view went over every field
JSON_READ = "json:"  # the view parsed the JSON body
LINK = re.compile(r'(?:href|action)="(/[^"]*)"')
INPUT = re.compile(r'<(?:input|select|textarea)\b[^>]*?\bname="([^"]+)"'
                   r'(?:[^>]*?\bvalue="([^"]*)")?')
PATH_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")

READ: set[str] = set()
VIEW_RUNS = [False]  # reads are noted once the app's own checks before the view are done


def _note(name: str) -> None:
    if VIEW_RUNS[0]:
        READ.add(name)


def _view_starts() -> None:
    """The last of the app's ``before_request`` functions in this test."""
    VIEW_RUNS[0] = True


# --- a request that records what its view reads -------------------------------------------------


class _RecordedArgs(ImmutableMultiDict):
    """Query parameters and form fields that note each name the view asks for."""

    def __getitem__(self, key):
        _note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        _note(key)
        return super().__contains__(key)

    def get(self, key, default=None, type=None):
        _note(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        _note(key)
        return super().getlist(key, type)

    def items(self, multi=False):
        _note(EVERY_NAME)
        return super().items(multi)

    def __iter__(self):
        _note(EVERY_NAME)
        return super().__iter__()


class _RecordedJson(dict):
    """A JSON object that notes each key the view asks for, by its path («json:cells.*.key»)."""

    prefix = JSON_READ

    def __getitem__(self, key):
        _note(f"{self.prefix}{key}")
        return super().__getitem__(key)

    def __contains__(self, key):
        _note(f"{self.prefix}{key}")
        return super().__contains__(key)

    def get(self, key, default=None):
        _note(f"{self.prefix}{key}")
        return super().get(key, default)


def _recorded(value, prefix: str = JSON_READ):
    if isinstance(value, dict):
        found = _RecordedJson((k, _recorded(v, f"{prefix}{k}.")) for k, v in value.items())
        found.prefix = prefix
        return found
    if isinstance(value, list):
        return [_recorded(item, f"{prefix}*.") for item in value]
    return value


class _RecordingRequest(Request):
    parameter_storage_class = _RecordedArgs

    def get_json(self, force=False, silent=False, cache=True):
        _note(JSON_READ)
        return _recorded(super().get_json(force=force, silent=silent, cache=cache))


# --- the trial ------------------------------------------------------------------------------------


@dataclass(eq=False)
class Client:
    """One role's signed-in client and its own path values (its report job)."""

    role: Role | None
    client: object
    paths: dict[str, object]


@dataclass
class Trial:
    """The requests of every role, what their pages showed, the failures and what was tried."""

    app: object
    world: no500_world.World
    failures: list[str] = field(default_factory=list)
    tried: set[tuple[str, str, str]] = field(default_factory=set)  # (endpoint, name, class)
    #: (role, endpoint, name, class): who tried it
    tried_by: set[tuple[object, str, str, str]] = field(default_factory=set)
    read_by: set[tuple[object, str, str]] = field(default_factory=set)  # (role, endpoint, name)
    seen_args: dict[str, set[str]] = field(default_factory=dict)  # path values in links
    seen_query: dict[str, str] = field(default_factory=dict)  # query values in links
    forms: dict[str, dict[str, str]] = field(default_factory=dict)  # a page's fields, by path
    links: set[str] = field(default_factory=set)
    count: int = 0

    def send(self, who: Client, method: str, path: str, values: dict[str, str] | None = None,
             body: tuple | None = None, what: str = "", harvest: bool = False) -> set[str]:
        """One request in a savepoint (``values`` go in the query, and in the form of a POST;
        ``body``: a JSON body in a tuple); a 5xx is a failure. The names the view read."""
        values = {**self.seen_query, **self.world.query, **(values or {})}
        kwargs: dict = {"query_string": values}
        if body is not None:
            kwargs.update(data=json.dumps(body[0]), content_type="application/json")
        elif method != "GET":
            kwargs["data"] = {**self.forms.get(path, {}), **values}
        READ.clear()
        VIEW_RUNS[0] = False
        savepoint = db.session.session_factory.kw["bind"].begin_nested()
        try:
            response = who.client.open(path, method=method, **kwargs)
        finally:
            savepoint.rollback()
        self.count += 1
        if response.status_code >= 500:
            self.failures.append(f"{who.role or 'signed out'}: {method} {path[:90]} {what}"
                                 f" -> {response.status_code}")
        if harvest and method == "GET" and response.mimetype == "text/html":
            self._harvest(path, response.get_data(as_text=True))
        return set(READ)

    def _harvest(self, path: str, html: str) -> None:
        if path not in self.forms:
            self.forms[path] = {unescape(name): unescape(value or "")
                                for name, value in INPUT.findall(html)}
        adapter = self.app.url_map.bind("localhost")
        for link in set(LINK.findall(html)) - self.links:
            self.links.add(link)
            parts = urlsplit(unescape(link))
            for name, value in parse_qsl(parts.query):
                self.seen_query.setdefault(name, value)
            for method in ("GET", "POST"):
                try:
                    endpoint, args = adapter.match(parts.path, method=method)
                except HTTPException:
                    continue
                for name, value in args.items():
                    if isinstance(value, str):
                        self.seen_args.setdefault(f"{endpoint}.{name}", set()).add(value)
                        self.seen_args.setdefault(name, set()).add(value)


def _choices(trial: Trial, who: Client, rule: Rule) -> dict[str, list[str]]:
    """Valid values of the rule's path arguments: the world's ids; for a text argument every
    value seen in links (e.g. each report's name), else a placeholder."""
    choices = {}
    for name in sorted(rule.arguments):
        keys = (f"{rule.endpoint}.{name}", f"{rule.endpoint.partition('.')[0]}.{name}", name)
        found = next((who.paths[key] for key in keys if key in who.paths), None)
        choices[name] = [str(found)] if found is not None else sorted(
            trial.seen_args.get(keys[0]) or trial.seen_args.get(name) or {"1"})
    return choices


def _paths(trial: Trial, who: Client, rule: Rule) -> list[str]:
    """The rule's URLs with valid path values (one for each value seen of a text argument)."""
    choices = _choices(trial, who, rule)
    width = max((len(values) for values in choices.values()), default=1)
    return [_url(rule, {name: values[i % len(values)] for name, values in choices.items()})
            for i in range(width)]


def _url(rule: Rule, values: dict[str, str]) -> str:
    return PATH_ARGUMENT.sub(lambda m: quote(str(values[m[1]]), safe=""), rule.rule)


def _with_json(body, name: str, value):
    """``body`` with the key at ``name`` («json:cells.*.student_id») set to ``value``."""

    def put(node, rest):
        if not rest:
            return value
        if rest[0] == "*":
            return [put(item, rest[1:]) for item in node] if isinstance(node, list) else node
        if isinstance(node, dict):
            return {**node, rest[0]: put(node.get(rest[0]), rest[1:])}
        return node

    return put(body, name.removeprefix(JSON_READ).split("."))


@dataclass
class Names:
    """Step 1 and 2 for one rule and one kind of input (the query and form, or a JSON body):
    the classes each name read still has to try, and which role read which names where."""

    trial: Trial
    rule: Rule
    method: str
    classes: dict
    body: dict | None = None  # the valid JSON body, for JSON
    pending: dict[str, list[str]] = field(default_factory=dict)
    #: the classes each role whose view read a name has still to try on it itself (step 2b)
    own: dict[tuple[Client, str], list[str]] = field(default_factory=dict)
    reads: dict[tuple[Client, str], set[str]] = field(default_factory=dict)
    turn: int = 0

    def _ours(self, names: set[str]) -> set[str]:
        names = names - {EVERY_NAME, JSON_READ}
        wanted = self.body is not None
        return {name for name in names if name.startswith(JSON_READ) == wanted}

    def send(self, who: Client, path: str, names: set[str] | None = None,
             what: str = "", own: bool = False) -> tuple[set[str], bool]:
        """A request with one pending class for each of ``names`` (every known name if
        ``None``; with ``own``, a class this role has not tried itself); notes what was tried
        and the new names read. Returns the names read and whether any class was tried (a name
        the view did not read keeps its class)."""
        names = set(self.pending) if names is None else names
        chosen = {}
        for i, name in enumerate(sorted(names)):
            left = self.own.get((who, name)) if own else self.pending.get(name)
            if left:
                chosen[name] = left[(self.turn + i) % len(left)]
        self.turn += 1
        values, body = {}, self.body
        for name, cls in chosen.items():
            if body is not None:
                body = _with_json(body, name, self.classes[cls])
            else:
                values[name] = self.classes[cls]
        label = ", ".join(f"{name}={cls}" for name, cls in chosen.items()) or "valid values"
        found = self.trial.send(who, self.method, path, values,
                                body=None if body is None else (body,),
                                what=f"{what}{label}", harvest=not chosen)
        read = self._ours(found)
        self.reads.setdefault((who, path), set()).update(read)
        tried = False
        for name, cls in chosen.items():
            if name in found or (EVERY_NAME in found and self.body is None):
                for left in (self.pending.get(name), self.own.get((who, name))):
                    if left and cls in left:
                        left.remove(cls)
                self.trial.tried.add((self.rule.endpoint, name, cls))
                self.trial.tried_by.add((who.role, self.rule.endpoint, name, cls))
                tried = True
        for name in read - set(self.pending):
            self.pending[name] = list(self.classes)
        for name in read:
            self.own.setdefault((who, name), list(self.classes))
            self.trial.read_by.add((who.role, self.rule.endpoint, name))
        return found, tried

    def finish(self) -> None:
        """Step 2: the classes left, by the roles whose view read each name, in turn. When a
        request tried nothing (every name behind another one's refusal), the next one tries a
        single name; a name the view does not read even alone was read only with every value
        valid (after a successful sign-in, say): it is left."""
        alone = False
        for turn in range(MAX_ROUNDS):
            open_names = {name for name, left in self.pending.items() if left}
            readers = [(key, names & open_names) for key, names in self.reads.items()
                       if names & open_names]
            if not readers:
                break
            (who, path), names = readers[turn % len(readers)]
            if alone:
                names = {min(names)}
            _found, tried = self.send(who, path, names)
            if not tried and alone:
                self.pending[min(names)] = []
            alone = not tried
        self.finish_own()

    def finish_own(self) -> None:
        """Step 2b: every role whose view read a name tries each class on it itself, so that
        a value one role's page survives is also sent by every other role that reaches it."""
        for (who, path), read in list(self.reads.items()):
            alone = False
            for _turn in range(MAX_ROUNDS):
                names = {name for name in read if self.own.get((who, name))}
                if not names:
                    break
                if alone:
                    names = {min(names)}
                _found, tried = self.send(who, path, names, own=True)
                if not tried and alone:
                    self.own[(who, min(names))] = []
                alone = not tried


def _try_path(trial: Trial, clients: list[Client], rule: Rule, method: str, index: int) -> None:
    """Step 3: each path argument through every class."""
    adapter = trial.app.url_map.bind("localhost")
    refused = []
    turn = index
    for name in sorted(rule.arguments):
        for cls, value in PATH_VALUES.items():
            if not value:
                continue  # an empty segment is another URL
            who = clients[turn % len(clients)]
            valid = {arg: values[0] for arg, values in _choices(trial, who, rule).items()}
            url = _url(rule, {**valid, name: value})
            try:
                reaches = adapter.match(url, method=method)[0] == rule.endpoint
            except HTTPException:
                reaches = False
            if reaches:
                turn += 1
                trial.send(who, method, url, what=f"<{name}>={cls}")
            else:
                refused.append((who, url, f"<{name}>={cls} (refused by the URL map)"))
            trial.tried.add((rule.endpoint, f"<{name}>", cls))
    if refused:
        who, url, what = refused[index % len(refused)]
        trial.send(who, method, url, what=what)


def _try_nul(trial: Trial, rule: Rule, method: str, names: Names) -> None:
    """Step 5: the names each role's view read at a URL, all at once with a NUL character."""
    for (who, path), read in names.reads.items():
        if read:
            trial.send(who, method, path, dict.fromkeys(read, NUL), what=f"NUL in {sorted(read)}")
            trial.tried.update((rule.endpoint, name, "NUL") for name in read)


def exercise(trial: Trial, clients: list[Client], rule: Rule, method: str, index: int) -> None:
    """Steps 1 to 5 for one rule and method."""
    names = Names(trial, rule, method, VALUES)
    got_in = []
    for who in clients:
        if names.send(who, _paths(trial, who, rule)[0])[0]:
            got_in.append(who)
    # the other values of a text argument (every report's name): each by the next role (in
    # turn) that gets in
    readers = got_in or clients
    for turn, path in enumerate(_paths(trial, clients[0], rule)[1:]):
        for step in range(len(readers)):
            if names.send(readers[(turn + step) % len(readers)], path)[0]:
                break
    names.finish()
    _try_path(trial, clients, rule, method, index)
    _try_nul(trial, rule, method, names)
    if method == "GET":
        return
    shapes = list(JSON_BODIES.items())
    json_names = Names(trial, rule, method, JSON_VALUES, body=trial.world.json_body)
    for turn, who in enumerate(got_in):
        path = _paths(trial, who, rule)[0]
        shape, body = shapes[(index + turn) % len(shapes)]
        if JSON_READ in trial.send(who, method, path, body=(body,), what=f"JSON {shape}"):
            json_names.send(who, path, what="JSON: ")
    json_names.finish()


def _rules(app) -> list[tuple[Rule, str]]:
    """Every rule and method but static files; pages without arguments first (their links give
    the values of text arguments, such as report names, to the others), GET before POST, signing
    out last."""
    found = [(rule, method) for rule in app.url_map.iter_rules()
             if rule.endpoint != "static" and not rule.endpoint.endswith(".static")
             for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})]
    return sorted(found, key=lambda pair: (pair[0].endpoint in LAST_ENDPOINTS,
                                           bool(pair[0].arguments), pair[1] != "GET",
                                           pair[0].rule, pair[1]))


def _client(app, world: no500_world.World, role: Role | None) -> Client:
    client = app.test_client()
    if role is not None:
        response = client.post("/auth/login", data={"login": world.users[role].login,
                                                    "password": no500_world.PASSWORD})
        assert response.status_code == 302
    paths = dict(world.path)
    if role is not None:
        paths["job_id"] = world.jobs[role]
    return Client(role, client, paths)


# --- the test ------------------------------------------------------------------------------------


#: names the generator must reach with every class (values of issue #14 answered 500 here)
MUST_TRY = {("admin.audit_log", "page"), ("admin.delivery_log", "page"),
            ("attendance.week", "start"), ("attendance.month", "month"),
            ("reports.show", "month"), ("reports.show", "group"),
            ("grading.history", "student_id"), ("attendance.history", "student_id"),
            ("family.student", "week"), ("journal.grid", "subgroup"),
            ("journal.grid", "<load_id>"), ("people.student", "<student_id>")}
MUST_TRY_JSON = {("journal.save_cells", "json:cells.*.student_id"),
                 ("journal.save_cells", "json:cells.*.lesson_id")}


def test_no_route_answers_500_to_odd_values(app, clock, monkeypatch):
    clock.set(no500_world.NOW)
    world = no500_world.build(app)
    monkeypatch.setattr(app, "request_class", _RecordingRequest)
    monkeypatch.setitem(app.before_request_funcs, None,
                        [*app.before_request_funcs.get(None, []), _view_starts])
    monkeypatch.setattr(limiter, "enabled", False)  # the sign-in form is tried many times
    trial = Trial(app, world)
    clients = [_client(app, world, role) for role in ROLES]
    for index, (rule, method) in enumerate(_rules(app)):
        if rule.endpoint in LAST_ENDPOINTS:  # every role was signed in for every other route
            assert [c.client.get("/").status_code for c in clients if c.role] == [200] * len(Role)
        exercise(trial, clients, rule, method, index)
    assert not trial.failures, f"{len(trial.failures)} of {trial.count} requests:\n" + "\n".join(
        trial.failures[:300])
    expected = {(endpoint, name, cls) for endpoint, name in MUST_TRY for cls in PATH_VALUES
                if not (name.startswith("<") and cls == "empty")}
    expected |= {(endpoint, name, cls) for endpoint, name in MUST_TRY_JSON for cls in JSON_VALUES}
    assert not expected - trial.tried, sorted(expected - trial.tried)
    # every role whose view read one of those names tried every class on it itself
    by_role = {(role, endpoint, name, cls) for role, endpoint, name in trial.read_by
               if (endpoint, name) in MUST_TRY | MUST_TRY_JSON
               for cls in (JSON_VALUES if name.startswith(JSON_READ) else VALUES)}
    assert by_role and not by_role - trial.tried_by, sorted(by_role - trial.tried_by)[:20]

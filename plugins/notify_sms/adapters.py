"""How the "sms" channel reaches the operator: a generic HTTP gateway or an SMPP 3.4 SMSC
(``SMS_ADAPTER``). Each adapter is a context manager for a run of the worker (the HTTP one posts
each message on its own, the SMPP one binds once) yielding ``send(message)``, which returns once
the message is accepted or raises (the outbox records the failure and retries)."""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

import smpplib.client
import smpplib.command
import smpplib.consts
import smpplib.exceptions
import smpplib.gsm
import smpplib.smpp
from flask import current_app
from flask_babel import gettext as _

from core import outbox

log = logging.getLogger(__name__)

Send = Callable[[outbox.OutboxMessage], None]

#: seconds to wait for the SMSC (connect, bind, each response)
SMPP_TIMEOUT = 15


class GatewayError(RuntimeError):
    pass


# --- HTTP ---------------------------------------------------------------------------------------


def _request(message: outbox.OutboxMessage) -> urllib.request.Request:
    """The gateway's request: every parameter of ``SMS_GATEWAY_PARAMS`` with {phone}, {text},
    {id} (the outbox's message id, for gateways that drop repeats) and {sender} filled in."""
    config = current_app.config
    values = {"phone": message.recipient, "text": message.body_text, "id": message.message_id,
              "sender": config.get("SMS_SENDER", "")}
    params = {name: str(template).format(**values)
              for name, template in config.get("SMS_GATEWAY_PARAMS", {}).items()}
    url = config["SMS_GATEWAY_URL"]
    method = config.get("SMS_GATEWAY_METHOD", "POST").upper()
    headers = {"User-Agent": "ejournal"}
    if config.get("SMS_GATEWAY_TOKEN"):
        headers["Authorization"] = f"Bearer {config['SMS_GATEWAY_TOKEN']}"
    elif config.get("SMS_GATEWAY_USER"):
        pair = f"{config['SMS_GATEWAY_USER']}:{config.get('SMS_GATEWAY_PASSWORD', '')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    encoded = urllib.parse.urlencode(params)
    if method == "GET":
        return urllib.request.Request(f"{url}?{encoded}", headers=headers, method="GET")
    if config.get("SMS_GATEWAY_JSON"):
        headers["Content-Type"] = "application/json"
        return urllib.request.Request(url, json.dumps(params).encode(), headers, method="POST")
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return urllib.request.Request(url, encoded.encode(), headers, method="POST")


def http_send(message: outbox.OutboxMessage) -> None:
    if not current_app.config.get("SMS_GATEWAY_URL"):
        raise GatewayError("SMS-шлюз не настроен (SMS_GATEWAY_URL)")
    try:
        with urllib.request.urlopen(_request(message), timeout=15) as response:
            body = response.read(2000).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        raise GatewayError(f"шлюз ответил {exc.code}") from None
    except (urllib.error.URLError, TimeoutError) as exc:
        raise GatewayError(f"шлюз недоступен: {exc}") from None
    failure = current_app.config.get("SMS_GATEWAY_ERROR_MARKER")
    if failure and failure in body:
        raise GatewayError(f"шлюз отказал: {body[:200]}")


@contextmanager
def http_gateway() -> Iterator[Send]:
    yield http_send


# --- SMPP ---------------------------------------------------------------------------------------

_SMPP_ERRORS = (smpplib.exceptions.ConnectionError, smpplib.exceptions.PDUError, OSError)


@dataclass(frozen=True)
class Address:
    ton: int
    npi: int
    value: str


def phone_address(phone: str) -> Address:
    """A parent's phone: international (E.164) when written with "+", as stored otherwise."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    ton = smpplib.consts.SMPP_TON_INTL if phone.strip().startswith("+") else \
        smpplib.consts.SMPP_TON_UNK
    return Address(ton, smpplib.consts.SMPP_NPI_ISDN, digits)


def source_address(sender: str) -> Address:
    """The sender: a number, or an alphanumeric name (Latin letters, as operators register
    them); none lets the SMSC put the account's own."""
    if not sender:
        return Address(smpplib.consts.SMPP_TON_UNK, smpplib.consts.SMPP_NPI_UNK, "")
    if sender.lstrip("+").isdigit():
        return phone_address(sender)
    if not sender.isascii():
        raise GatewayError(_("Имя отправителя SMPP «%(name)s» должно быть латиницей",
                             name=sender))
    return Address(smpplib.consts.SMPP_TON_ALNUM, smpplib.consts.SMPP_NPI_UNK, sender)


def _describe(status: int) -> str:
    return f"0x{status:08X} {smpplib.consts.DESCRIPTIONS.get(status, '')}".strip()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return _("нет ответа")
    if exc.args and exc.args[0]:
        return str(exc.args[0])
    return _("соединение разорвано")


class SmppSession:
    """One bound transmitter session with the SMSC, for a run of the worker.

    A repeat cannot be recognised by the SMSC: plain SMPP 3.4 has no field for a client's id of
    a message, so the outbox's ``message_id`` (which the HTTP adapter sends for the gateway to
    drop repeats) is not carried, and a message the worker had submitted before dying, or whose
    ``submit_sm_resp`` was lost, reaches the phone twice when the outbox sends it again. A long
    text goes as several ``submit_sm`` (UDH-concatenated parts): a failure after the first part
    resends the whole text. Any failure closes the session, so that the next message binds
    afresh rather than keeping a second session open (SMSCs limit sessions per account).
    """

    def __init__(self, config: Mapping[str, Any]) -> None:
        if not config.get("SMS_SMPP_HOST"):
            raise GatewayError(_("SMPP не настроен (SMS_SMPP_HOST)"))
        self.client = smpplib.client.Client(
            config["SMS_SMPP_HOST"], config.get("SMS_SMPP_PORT") or 2775, timeout=SMPP_TIMEOUT,
            logger_name=f"{__name__}.smpplib", allow_unknown_opt_params=True)
        self.source = source_address(config.get("SMS_SMPP_SOURCE") or
                                     config.get("SMS_SENDER") or "")
        self.credentials = {"system_id": config.get("SMS_SMPP_SYSTEM_ID") or "",
                            "password": config.get("SMS_SMPP_PASSWORD") or "",
                            "system_type": config.get("SMS_SMPP_SYSTEM_TYPE") or ""}

    def bind(self) -> None:
        try:
            self.client.connect()
            self.client.bind_transmitter(**self.credentials)
        except _SMPP_ERRORS as exc:
            self.close()
            raise GatewayError(_("SMSC не принял подключение: %(error)s",
                                 error=_reason(exc))) from None

    def send(self, message: outbox.OutboxMessage) -> None:
        if self.client.state != smpplib.consts.SMPP_CLIENT_STATE_BOUND_TX:
            raise GatewayError(_("Сеанс SMPP закрыт после ошибки"))
        parts, data_coding, esm_class = smpplib.gsm.make_parts(message.body_text)
        destination = phone_address(message.recipient)
        try:
            ids = [self._submit(destination, part, data_coding, esm_class) for part in parts]
        except _SMPP_ERRORS as exc:
            self.close()
            raise GatewayError(_("SMSC недоступен: %(error)s", error=_reason(exc))) from None
        except GatewayError:
            self.close()
            raise
        log.debug("outbox %s accepted by the SMSC as %s", message.id, ", ".join(ids))

    def _submit(self, to: Address, part: bytes, data_coding: int, esm_class: int) -> str:
        # no delivery receipts: a transmitter session could not receive them
        request = self.client.send_message(
            source_addr_ton=self.source.ton, source_addr_npi=self.source.npi,
            source_addr=self.source.value, dest_addr_ton=to.ton, dest_addr_npi=to.npi,
            destination_addr=to.value, esm_class=esm_class, data_coding=data_coding,
            registered_delivery=smpplib.consts.SMPP_SMSC_DELIVERY_RECEIPT_NONE,
            short_message=part)
        return self._response_to(request.sequence)

    def _response_to(self, sequence: int) -> str:
        """Wait for the ``submit_sm_resp`` of ``sequence``, answering the SMSC's keep-alives;
        its message id, or ``GatewayError`` for an error status."""
        while True:
            pdu = self.client.read_pdu()
            if pdu.command == "enquire_link":
                self._reply(pdu, "enquire_link_resp")
            elif pdu.command == "unbind":
                self._reply(pdu, "unbind_resp")
                raise GatewayError(_("SMSC закрыл сеанс"))
            elif pdu.command == "generic_nack" or (
                    pdu.command == "submit_sm_resp" and pdu.sequence == sequence
                    and pdu.is_error()):
                raise GatewayError(_("SMSC отказал: %(status)s", status=_describe(pdu.status)))
            elif pdu.command == "submit_sm_resp" and pdu.sequence == sequence:
                return (pdu.message_id or b"").decode("ascii", "replace")

    def _reply(self, request: smpplib.command.Command, command: str) -> None:
        response = smpplib.smpp.make_pdu(command, client=self.client)
        response.sequence = request.sequence  # make_pdu ignores a sequence given to it
        self.client.send_pdu(response)

    def close(self) -> None:
        """Unbind if bound (an answer is awaited no longer than the timeout), then disconnect."""
        client = self.client
        if client.state in (smpplib.consts.SMPP_CLIENT_STATE_BOUND_TX,
                            smpplib.consts.SMPP_CLIENT_STATE_BOUND_TRX):
            try:
                client.unbind()
            except _SMPP_ERRORS as exc:
                log.info("SMPP unbind: %s", _reason(exc))
        if client._socket is not None:  # also after a failed connect, unlike the state
            client.disconnect()


@contextmanager
def smpp_gateway() -> Iterator[Send]:
    session = SmppSession(current_app.config)
    session.bind()
    try:
        yield session.send
    finally:
        session.close()


# --- the choice ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Adapter:
    address_key: str  # the setting without which nothing is sent
    open: Callable[[], AbstractContextManager[Send]]


ADAPTERS = {"http": Adapter("SMS_GATEWAY_URL", http_gateway),
            "smpp": Adapter("SMS_SMPP_HOST", smpp_gateway)}


def chosen() -> Adapter | None:
    return ADAPTERS.get(current_app.config.get("SMS_ADAPTER") or "http")


def configured() -> bool:
    adapter = chosen()
    return adapter is not None and bool(current_app.config.get(adapter.address_key))


@contextmanager
def gateway() -> Iterator[Send]:
    adapter = chosen()
    if adapter is None:
        raise GatewayError(_("Неизвестный SMS_ADAPTER «%(name)s»: допустимо http или smpp",
                             name=current_app.config.get("SMS_ADAPTER")))
    with adapter.open() as send:
        yield send

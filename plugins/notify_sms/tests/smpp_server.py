"""A small SMSC for the tests: a threaded TCP server speaking enough SMPP 3.4 for a transmitter
(bind_transmitter, submit_sm, enquire_link, unbind), recording what it was given.

PDU headers are read with ``struct``; bodies are parsed and answers built with smpplib's own PDU
classes. Long texts are put together again from their UDH-concatenated parts."""

from __future__ import annotations

import itertools
import socket
import socketserver
import struct
import threading
from dataclasses import dataclass, field

import smpplib.client
import smpplib.consts
import smpplib.gsm
import smpplib.smpp

OK = smpplib.consts.SMPP_ESME_ROK
HEADER = struct.Struct(">LLLL")  # length, command id, status, sequence


@dataclass
class Submitted:
    system_id: str
    source: str
    source_ton: int
    destination: str
    dest_ton: int
    esm_class: int
    data_coding: int
    registered_delivery: int
    short_message: bytes

    @property
    def udh(self) -> tuple[int, int, int] | None:
        """(reference, total, number) of a concatenated part, or ``None`` for a whole text."""
        if not self.esm_class & smpplib.consts.SMPP_GSMFEAT_UDHI:
            return None
        header = self.short_message[:self.short_message[0] + 1]
        assert header[1:3] == b"\x00\x03", "an 8-bit concatenation element"
        return header[3], header[4], header[5]

    @property
    def payload(self) -> bytes:
        return self.short_message[self.short_message[0] + 1:] if self.udh else self.short_message


def decode(payload: bytes, data_coding: int) -> str:
    if data_coding == smpplib.consts.SMPP_ENCODING_ISO10646:
        return payload.decode("utf-16-be")
    if data_coding == smpplib.consts.SMPP_ENCODING_DEFAULT:  # unpacked GSM 03.38
        table, text, escaped = smpplib.gsm.GSM_CHARACTER_TABLE, [], False
        for octet in payload:
            if octet == 0x1B:
                escaped = True
                continue
            text.append(table[octet + 0x80 if escaped else octet])
            escaped = False
        return "".join(text)
    raise AssertionError(f"unexpected data_coding {data_coding}")


@dataclass
class Smsc:
    """What the server is told to do and what it saw."""

    accounts: dict[str, str]
    #: the status of every submit_sm_resp (an error status refuses the message)
    submit_status: int = OK
    #: send an enquire_link before answering each submit_sm (the client must answer it)
    enquire_first: bool = False
    binds: list[tuple[str, str, str]] = field(default_factory=list)
    refused_binds: int = 0
    submitted: list[Submitted] = field(default_factory=list)
    enquire_answers: int = 0
    unbinds: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def texts(self) -> list[tuple[str, str]]:
        """(destination, text) of every accepted message, parts put together in order."""
        whole, parts = [], {}
        for item in self.submitted:
            if item.udh is None:
                whole.append((item.destination, decode(item.payload, item.data_coding)))
                continue
            reference, total, number = item.udh
            key = (item.destination, reference)
            parts.setdefault(key, {})[number] = item
            if len(parts[key]) == total:
                ordered = [parts[key][n] for n in range(1, total + 1)]
                whole.append((item.destination, decode(b"".join(p.payload for p in ordered),
                                                        item.data_coding)))
        return whole


class _Session(socketserver.BaseRequestHandler):
    server: SmppServer

    def setup(self) -> None:
        self.system_id: str | None = None
        self.sequence = smpplib.client.SimpleSequenceGenerator()  # smpplib's PDUs want one

    def handle(self) -> None:
        while (data := self._read_pdu()) is not None:
            sequence = HEADER.unpack(data[:16])[3]
            pdu = smpplib.smpp.parse_pdu(data, client=self.sequence,
                                         allow_unknown_opt_params=True)
            handler = getattr(self, f"on_{pdu.command}", None)
            if handler is None:
                self._send("generic_nack", sequence, smpplib.consts.SMPP_ESME_RINVCMDID)
            elif handler(pdu, sequence) is False:
                return

    def _read_pdu(self) -> bytes | None:
        head = self._read(4)
        if head is None:
            return None
        (length,) = struct.unpack(">L", head)
        body = self._read(length - 4)
        return None if body is None else head + body

    def _read(self, size: int) -> bytes | None:
        chunks = b""
        while len(chunks) < size:
            try:
                chunk = self.request.recv(size - len(chunks))
            except OSError:
                return None
            if not chunk:
                return None
            chunks += chunk
        return chunks

    def _send(self, command: str, sequence: int, status: int = OK, **fields) -> None:
        pdu = smpplib.smpp.make_pdu(command, client=self.sequence, status=status, **fields)
        pdu.sequence = sequence  # not taken from the arguments when the client has a counter
        self.request.sendall(pdu.generate())

    def on_bind_transmitter(self, pdu, sequence: int) -> None:
        smsc = self.server.smsc
        system_id, password = _text(pdu.system_id), _text(pdu.password)
        with smsc.lock:
            if smsc.accounts.get(system_id) != password:
                smsc.refused_binds += 1
                self._send("bind_transmitter_resp", sequence,
                           smpplib.consts.SMPP_ESME_RINVPASWD)
                return
            smsc.binds.append((system_id, password, _text(pdu.system_type)))
        self.system_id = system_id
        self._send("bind_transmitter_resp", sequence, system_id="test-smsc")

    def on_submit_sm(self, pdu, sequence: int) -> None:
        smsc = self.server.smsc
        if self.system_id is None:
            self._send("submit_sm_resp", sequence, smpplib.consts.SMPP_ESME_RINVBNDSTS)
            return
        if smsc.enquire_first and not self._keep_alive():
            return
        if smsc.submit_status != OK:
            self._send("submit_sm_resp", sequence, smsc.submit_status)
            return
        with smsc.lock:
            smsc.submitted.append(Submitted(
                self.system_id, _text(pdu.source_addr), pdu.source_addr_ton or 0,
                _text(pdu.destination_addr), pdu.dest_addr_ton or 0, pdu.esm_class or 0,
                pdu.data_coding or 0, pdu.registered_delivery or 0, pdu.short_message or b""))
            message_id = f"smsc-{next(smsc.ids)}"
        self._send("submit_sm_resp", sequence, message_id=message_id)

    def _keep_alive(self) -> bool:
        """Ask the client whether it is there, as SMSCs do, and wait for its answer."""
        asked = self.sequence.next_sequence() + 1000
        self._send("enquire_link", asked)
        answer = self._read_pdu()
        if answer is None:
            return False
        _length, command_id, _status, sequence = HEADER.unpack(answer[:16])
        if command_id == 0x80000015 and sequence == asked:  # enquire_link_resp
            with self.server.smsc.lock:
                self.server.smsc.enquire_answers += 1
        return True

    def on_enquire_link(self, pdu, sequence: int) -> None:
        self._send("enquire_link_resp", sequence)

    def on_unbind(self, pdu, sequence: int) -> bool:
        with self.server.smsc.lock:
            self.server.smsc.unbinds += 1
        self._send("unbind_resp", sequence)
        return False


def _text(value) -> str:
    if value is None:
        return ""
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


class SmppServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, smsc: Smsc) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.smsc = smsc
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start(self) -> SmppServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

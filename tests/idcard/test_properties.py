"""Random bytes thrown at the codec and the parser: the only exception that may escape is the
codec's own error type (CardError and its subclasses), never a crash."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from houshi_desk.idcard import frame as fr
from houshi_desk.idcard.errors import CardError
from houshi_desk.idcard.parse import parse_read_bytes
from houshi_desk.idcard.persons import load_persons
from houshi_desk.idcard.text_block import parse_text_block

_PERSONS = list(load_persons().values())
_BLOCKS = [p.text_block() for p in _PERSONS]
_FRAMES = [fr.build_response(0x90, fr.build_read_data(p.text_block(), p.photo)) for p in _PERSONS]


def _only_card_errors(fn, data):
    try:
        fn(data)
    except CardError as exc:
        assert exc.message


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=1400))
def test_random_bytes_through_every_entry_point(data):
    for fn in (fr.parse_response, fr.parse_request, fr.split_read_data, fr.parse_read_frame, parse_read_bytes,
               parse_text_block):
        _only_card_errors(fn, data)


@settings(max_examples=400)
@given(st.binary(min_size=256, max_size=256))
def test_random_text_blocks(block):
    _only_card_errors(parse_text_block, block)


@settings(max_examples=300)
@given(st.sampled_from(_BLOCKS), st.lists(st.tuples(st.integers(0, 255), st.integers(0, 255)), min_size=1, max_size=8))
def test_mutated_real_text_blocks(block, edits):
    b = bytearray(block)
    for pos, value in edits:
        b[pos] = value
    _only_card_errors(parse_text_block, bytes(b))


@settings(max_examples=300)
@given(st.sampled_from(_FRAMES), st.integers(0, 1294), st.integers(0, 255), st.integers(-3, 3))
def test_mutated_and_cut_frames(frame, pos, value, cut):
    b = bytearray(frame)
    b[pos % len(b)] = value
    b = b[:len(b) + cut] if cut < 0 else b + bytes(cut)
    _only_card_errors(parse_read_bytes, bytes(b))


@settings(max_examples=300)
@given(st.binary(max_size=3000), st.integers(1, 64))
def test_random_streams(data, chunk):
    pos = 0

    def read(n):
        nonlocal pos
        out = data[pos:pos + min(n, chunk)]
        pos += len(out)
        return out

    _only_card_errors(fr.read_frame, read)

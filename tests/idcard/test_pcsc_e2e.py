"""End to end through the real pcscd + vsmartcard-vpcd + the virtual ID card: every card type,
insert/remove sequences, a card pulled mid-read, a reader without a SAM, stopping at once."""
from __future__ import annotations

import time

import pytest

from houshi_desk.domain.identity import CardType
from houshi_desk.idcard.events import (CardInserted, CardRead, CardRemoved, ReaderAdded, ReadFailed)
from houshi_desk.idcard.pcsc_reader import PcscReader
from houshi_desk.idcard.watcher import CardWatcher


@pytest.fixture
def watcher(vpcd_reader, events):
    w = CardWatcher(lambda: PcscReader(vpcd_reader), events, wait_timeout=1.0).start()
    assert events.wait_for(ReaderAdded).reader == vpcd_reader
    yield w
    w.stop()


def _kinds(evs):
    return [type(e).__name__ for e in evs]


@pytest.mark.parametrize("key,card_type", [
    ("applicant", CardType.RESIDENT), ("deceased", CardType.RESIDENT), ("hmt_permit", CardType.HMT_PERMIT),
    ("foreign_2017", CardType.FOREIGN_2017), ("foreign_2023", CardType.FOREIGN_2023)])
def test_each_card_type_is_read_through_pcscd(watcher, events, virtual_card, persons, vpcd_reader, key, card_type):
    person = persons[key]
    virtual_card(person)
    assert isinstance(events.next(), CardInserted)
    read = events.next()
    assert isinstance(read, CardRead), read
    assert read.reader == vpcd_reader
    assert read.document.card_type is card_type
    assert read.document.without_photo() == person.document
    assert read.document.photo_wlt == person.photo
    assert not [p for p in read.problems if p.severity.value == "error"]


def test_insert_remove_reinsert_gives_exactly_the_expected_events(watcher, events, virtual_card, persons):
    card = virtual_card(persons["applicant"])
    assert _kinds([events.next(), events.next()]) == ["CardInserted", "CardRead"]
    time.sleep(1.2)  # the card stays: no second read
    assert events.drain(0.2) == []
    card.remove()
    assert isinstance(events.next(), CardRemoved)
    card.insert()
    assert _kinds([events.next(), events.next()]) == ["CardInserted", "CardRead"]
    card.remove()
    other = virtual_card(persons["deceased"])
    evs = [events.next() for _ in range(3)]
    assert _kinds(evs) == ["CardRemoved", "CardInserted", "CardRead"]
    assert evs[2].document.name == "测试"
    other.remove()
    assert isinstance(events.next(), CardRemoved)
    assert events.drain(0.6) == []


def test_card_pulled_mid_read_gives_a_clear_retry_message(watcher, events, virtual_card, persons):
    virtual_card(persons["applicant"], pull_after_apdus=2)  # text read, then gone during the photo
    assert isinstance(events.next(), CardInserted)
    failed = events.next()
    assert isinstance(failed, ReadFailed), failed
    assert failed.code == "card_removed" and failed.retryable
    assert "移开" in failed.message and failed.hint
    assert isinstance(events.next(), CardRemoved)
    # and the watcher still works
    virtual_card(persons["deceased"])
    assert _kinds([events.next(), events.next()]) == ["CardInserted", "CardRead"]


def test_plain_contactless_reader_is_recognised_and_not_read(watcher, events, virtual_card, persons):
    virtual_card(persons["applicant"], mode="plain")
    assert isinstance(events.next(), CardInserted)
    failed = events.next()
    assert isinstance(failed, ReadFailed)
    assert failed.code == "no_sam" and not failed.retryable
    assert "不能读出身份信息" in failed.message and "0123456789ABCDEF" in failed.message


def test_card_already_on_the_reader_when_watching_starts_is_read_once(vpcd_reader, events, virtual_card, persons):
    virtual_card(persons["hmt_taiwan"])
    time.sleep(0.5)
    with CardWatcher(lambda: PcscReader(vpcd_reader), events, wait_timeout=1.0):
        assert _kinds([events.next(), events.next(), events.next()]) == ["ReaderAdded", "CardInserted", "CardRead"]
        assert events.drain(1.0) == []


def test_stop_returns_at_once_while_waiting(vpcd_reader, events):
    w = CardWatcher(lambda: PcscReader(vpcd_reader), events, wait_timeout=30.0).start()
    events.wait_for(ReaderAdded)
    time.sleep(0.3)  # now blocked in SCardGetStatusChange for up to 30 s
    started = time.monotonic()
    w.stop()
    assert not w.running
    assert time.monotonic() - started < 1.0


def test_a_failing_subscriber_does_not_kill_the_watcher(vpcd_reader, events, virtual_card, persons):
    def bad(_event):
        raise RuntimeError("subscriber bug")

    with CardWatcher(lambda: PcscReader(vpcd_reader), bad, wait_timeout=1.0) as w:
        w.subscribe(events)
        events.wait_for(ReaderAdded)
        virtual_card(persons["applicant"])
        assert isinstance(events.wait_for(CardRead), CardRead)
        assert w.running


def test_a_card_that_never_answers_is_reported_and_the_watcher_stays_alive(vpcd_reader, events, virtual_card,
                                                                            persons):
    with CardWatcher(lambda: PcscReader(vpcd_reader), events, wait_timeout=1.0, read_timeout=1.0) as w:
        events.wait_for(ReaderAdded)
        card = virtual_card(persons["applicant"], answer_delay=600)  # vpcd itself waits for ever
        assert isinstance(events.next(), CardInserted)
        started = time.monotonic()
        failed = events.next(3)
        assert isinstance(failed, ReadFailed) and failed.code == "no_answer"
        assert time.monotonic() - started < 2.5
        assert "没有回应" in failed.message and failed.hint
        card.remove()  # the stuck exchange ends with the card gone
        assert isinstance(events.next(3), CardRemoved)
        virtual_card(persons["deceased"])
        assert _kinds([events.next(), events.next()]) == ["CardInserted", "CardRead"]
        assert w.running


def test_stop_returns_at_once_even_during_a_stuck_read(vpcd_reader, events, virtual_card, persons):
    w = CardWatcher(lambda: PcscReader(vpcd_reader), events, wait_timeout=1.0, read_timeout=0.5).start()
    events.wait_for(ReaderAdded)
    virtual_card(persons["applicant"], answer_delay=600)
    events.wait_for(ReadFailed)
    started = time.monotonic()
    w.stop()
    assert time.monotonic() - started < 1.0 and not w.running

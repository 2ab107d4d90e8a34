"""crawler.dedup.cluster: pair kinds, determinism, incremental == batch, persistence."""

import random

import numpy as np
import pytest
from datasketch import MinHash

from crawler.dedup.cluster import Clusterer, DedupParams, Fingerprint, _identity
from crawler.dedup.synth import Event, mutate, write_account
from crawler.dedup.text import Stoplist, exact_key, learn_stoplist, shingle_hashes, tokens
from crawler.evaluate.dedup import load_corpus

ARTS, PAIRS = load_corpus()
BY_ID = {a["id"]: a for a in ARTS}


def _add_all(c, arts):
    for a in arts:
        c.add(a["id"], a["text"], published=a["published"], origin=a["origin"], source=a["source"])
    return c


@pytest.fixture(scope="module")
def clustered():
    return _add_all(Clusterer(), ARTS)


def test_corpus_has_every_kind():
    kinds = [p["kind"] for p in PAIRS]
    assert len(PAIRS) >= 60
    for k in ("exact", "near", "same_event", "unrelated"):
        assert kinds.count(k) >= 15, k


@pytest.mark.parametrize("kind, expect", [("exact", True), ("near", True), ("same_event", False), ("unrelated", False)])
def test_pair_kind(clustered, kind, expect):
    wrong = [(p["a"], p["b"], p["note"]) for p in PAIRS if p["kind"] == kind
             and (clustered.cluster_of(p["a"]) == clustered.cluster_of(p["b"])) != expect]
    assert wrong == []


def test_formulaic_reports_are_not_duplicates():
    """Two real seed reports share the formula but are different texts."""
    c = Clusterer()
    seeds = [a for a in ARTS if a["id"] in ("seed001", "seed002", "seed003", "seed004")]
    for a in seeds:
        c.add(a["id"], a["text"])
    assert len(c.clusters()) == 4


def test_each_near_copy_edit_alone():
    base = BY_ID["seed003"]["text"]
    rng = random.Random(5)
    ev = Event("e", "Hải Dương", 2025, 26, 12, chair="Nguyễn Hồng Phong", inspector="Phạm Thị Thanh Thủy", guest="X Y Z")
    c = Clusterer()
    c.add("orig", base, published="2025-12-26T20:00:00+07:00")
    for kind in ["lead", "local", "drop", "ttxvn", "typo", "wrap"]:
        assert c.compare(base, mutate(base, rng, [kind], ev))["duplicate"], kind
        c.add(kind, mutate(base, rng, [kind], ev), published="2025-12-27T08:00:00+07:00")
        assert c.cluster_of(kind) == "orig"


def test_exact_ignores_case_and_whitespace_only():
    t = BY_ID["seed002"]["text"]
    assert exact_key(t) == exact_key("  " + t.upper().replace("\n", "\n\n  ") + "\n")
    assert exact_key(t) != exact_key(t.replace("2023", "2022", 1))


def test_short_texts_match_only_exactly():
    c = Clusterer()
    c.add(1, "Quang cảnh hội nghị tổng kết công tác kiểm tra")
    c.add(2, "Quang cảnh hội nghị tổng kết công tác kiểm tra giám sát")
    c.add(3, "quang cảnh hội nghị tổng kết công tác kiểm tra")
    assert c.clusters() == {1: [1, 3], 2: [2]}


def test_shuffled_insertion_gives_same_clusters(clustered):
    expected = clustered.clusters()
    for seed in (1, 2, 3):
        arts = ARTS[:]
        random.Random(seed).shuffle(arts)
        assert _add_all(Clusterer(), arts).clusters() == expected


def test_incremental_with_save_load_equals_batch(tmp_path, clustered):
    half = len(ARTS) // 2
    c = _add_all(Clusterer(), ARTS[:half])
    c.save(tmp_path / "dedup.state")
    d = Clusterer.load(tmp_path / "dedup.state")
    assert d.clusters() == c.clusters()
    _add_all(d, ARTS[half:])
    assert d.clusters() == clustered.clusters()


def test_rebuild_from_stored_fingerprints_equals_batch(clustered):
    c = Clusterer()
    for a in ARTS:     # as if each article's fingerprint were read back from a DB column
        fp = Fingerprint.from_bytes(c.fingerprint(a["text"]).to_bytes())
        c.add_fingerprint(a["id"], fp, published=a["published"], origin=a["origin"], source=a["source"])
    assert c.clusters() == clustered.clusters()


def test_state_refuses_a_changed_stoplist(clustered):
    with pytest.raises(ValueError):
        Clusterer.from_state(clustered.state(), stoplist=Stoplist(["a b c d e"]))


def test_fingerprint_roundtrip():
    c = Clusterer()
    fp = c.fingerprint(BY_ID["seed000"]["text"])
    back = Fingerprint.from_bytes(fp.to_bytes())
    assert back.exact == fp.exact and back.n_words == fp.n_words
    assert np.array_equal(back.shingles, fp.shingles) and np.array_equal(back.signature, fp.signature)


def test_signature_is_datasketch_minhash():
    c = Clusterer()
    sh = c.fingerprint(BY_ID["seed001"]["text"]).shingles
    m = MinHash(num_perm=c.params.num_perm, seed=c.params.seed, hashfunc=_identity)
    m.update_batch(sh.tolist())
    assert np.array_equal(m.hashvalues, c.signature(sh))


def test_hashes_are_stable():
    # fixed values: shingle hashes must not depend on the process (PYTHONHASHSEED) or the run
    assert shingle_hashes("Ủy ban Kiểm tra Tỉnh ủy Hải Dương")[:3].tolist() == \
        shingle_hashes("uy ban kiem tra tinh uy hai duong")[:3].tolist()
    assert tokens("Thuỷ Hoà") == tokens("Thủy Hòa") == ["thuy", "hoa"]


def test_stoplist_drops_formula_shingles():
    sl = Stoplist.default()
    sh = shingle_hashes("cấp ủy, tổ chức đảng, UBKT các cấp")
    assert len(sh) and len(sl.filter(sh)) == 0
    learnt = learn_stoplist(["một hai ba bốn năm sáu " + str(i) for i in range(10)] + ["bảy tám chín mười mươi"],
                            min_df=3, min_ratio=0.5)
    assert "mot hai ba bon nam" in learnt.shingles and "bay tam chin muoi muoi" not in learnt.shingles


def test_canonical_member_rules():
    rng = random.Random(9)
    text = write_account(Event.random(rng, "e1", province="Cần Thơ", year=2023), "wire", rng)
    c = Clusterer(outlet_names=lambda s: {"ttxvn": ["TTXVN"], "baotintuc": ["TTXVN", "Báo Tin tức"]}.get(s, [s]))
    c.add("z-late", text, published="2024-01-05T10:00:00+07:00", source="baocantho")
    assert c.canonical_member("z-late") == "z-late"
    # earliest published wins
    c.add("y-early", text, published="2024-01-04T18:00:00+07:00", origin="TTXVN", source="baocantho")
    assert c.cluster_of("z-late") == "y-early"
    # tie on time: the credited outlet's own copy beats a copy that credits it, whatever the ids
    c.add("x-credit", text, published="2024-01-04T11:00:00+07:00", origin="TTXVN", source="baohaugiang")
    c.add("w-own", text, published="2024-01-04T18:00:00+07:00", origin="TTXVN", source="other")
    c.add("zz-ttxvn", text, published="2024-01-04T11:00:00+07:00", origin=None, source="ttxvn")
    assert c.cluster_of("y-early") == "zz-ttxvn"
    assert c.members("zz-ttxvn")[:2] == ["zz-ttxvn", "x-credit"]
    # same instant written with another offset is a tie too; then smallest id
    c.add("a-utc", text, published="2024-01-04T04:00:00+00:00", origin=None, source="ttxvn")
    assert c.cluster_of("zz-ttxvn") == "a-utc"
    # unknown published sorts last
    c.add("0-undated", text, source="ttxvn")
    assert c.canonical_member(["0-undated", "z-late"]) == "z-late"


def test_readding_an_id_is_an_error():
    c = Clusterer()
    c.add("a", BY_ID["seed001"]["text"])
    with pytest.raises(ValueError):
        c.add("a", BY_ID["seed002"]["text"])


def test_bad_params():
    with pytest.raises(ValueError):
        Clusterer(DedupParams(num_perm=16, lsh_bands=10, lsh_rows=2))

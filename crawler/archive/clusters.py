"""One story, one row: duplicate clusters and events across the archive.

Each article's MinHash fingerprint is computed once and kept in
`article_fingerprints`; the clusters are rebuilt from those after every crawl
and by `reprocess`. A rebuild is one LSH pass over stored signatures (no text
is re-read, no pair of articles is compared unless LSH proposes it), so adding
articles costs about the same whatever the archive's size, and the result
does not depend on the order articles arrived in.
"""

import json

from ..dedup.cluster import Clusterer, Fingerprint
from ..dedup.events import assign_events


def update_clusters(archive) -> dict:
    """Recompute cluster_id, is_canonical, duplicates and event_id for every
    article, inside the caller's transaction. Returns counts."""
    db = archive.db
    clusterer = Clusterer()
    records, new_fingerprints = {}, []
    rows = db.execute(
        "select a.url, a.text, a.published, a.origin, a.source, a.event_date, a.level, a.province, "
        "a.doc_type, f.fingerprint from articles a left join article_fingerprints f on f.url = a.url "
        "order by a.url"
    )
    for url, text, published, origin, source, event_date, level, province, doc_type, blob in rows:
        if blob is None:
            fingerprint = clusterer.fingerprint(text)
            new_fingerprints.append((url, fingerprint.to_bytes()))
        else:
            fingerprint = Fingerprint.from_bytes(blob)
        clusterer.add_fingerprint(url, fingerprint, published=published, origin=origin, url=url, source=source)
        records[url] = {"event_date": event_date, "level": level, "province": province, "doc_type": doc_type}
    db.conn.executemany("insert or replace into article_fingerprints (url, fingerprint) values (?, ?)",
                        new_fingerprints)
    clusters = clusterer.clusters()
    events = assign_events(records, clusters)
    updates = []
    for cluster_id, members in clusters.items():
        for url in members:
            others = [m for m in members if m != url]
            updates.append((cluster_id, int(url == members[0]), json.dumps(others, ensure_ascii=False),
                            events.get(url), url))
    db.conn.executemany(
        "update articles set cluster_id = ?, is_canonical = ?, duplicates = ?, event_id = ? where url = ?", updates)
    return {"articles": len(records), "clusters": len(clusters),
            "duplicated": sum(1 for m in clusters.values() if len(m) > 1)}

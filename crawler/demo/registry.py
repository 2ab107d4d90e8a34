"""The demo network as registry TOML, pointing at the live loopback URLs."""

import json
import tomllib
from pathlib import Path
from urllib.parse import urljoin

_SITES_TOML = Path(__file__).resolve().parent / "sites.toml"


def _toml_str(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(_toml_str(v) for v in values) + "]"


def demo_registry_toml(urls: dict) -> str:
    """Registry TOML for the demo sites in `urls` (site id → base URL, as Network.urls)."""
    sites = tomllib.loads(_SITES_TOML.read_text(encoding="utf-8"))["site"]
    unknown = sorted(set(urls) - set(sites))
    if unknown:
        raise ValueError(f"not a demo site: {unknown[0]}")
    out = ["# The offline demo network (crawler/demo), served on loopback.", ""]
    for sid in sorted(urls, key=lambda s: sites[s]["order"]):
        conf = sites[sid]
        base = urls[sid] if urls[sid].endswith("/") else urls[sid] + "/"
        out.append("[[source]]")
        out.append(f"id = {_toml_str(sid)}")
        out.append(f"name = {_toml_str(conf['name'])}")
        out.append(f"home = {_toml_str(base)}")
        if conf.get("province"):
            out.append(f"province = {_toml_str(conf['province'])}")
        out.append(f"level = {_toml_str(conf['level'])}")
        out.append(f"start_urls = {_toml_list([urljoin(base, p.lstrip('/')) for p in conf.get('start', [])])}")
        out.append(f"feeds = {_toml_list([urljoin(base, conf['feed'].lstrip('/'))] if conf.get('feed') else [])}")
        out.append(f"sitemaps = {_toml_list([urljoin(base, conf['sitemap'].lstrip('/'))] if conf.get('sitemap') else [])}")
        out.append("")
    return "\n".join(out)

"""The demo gallery: one self-contained HTML page (no CDN, no scripts)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from demo.comparisons import comparison_section
from demo.styles import style_section

if TYPE_CHECKING:
    from pathlib import Path

    from demo.client import Call

CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f6f4f1;color:#222}
header{background:#1f2a44;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px} header p{margin:4px 0 0;opacity:.85}
.banner{background:#ffe8a3;color:#5a4300;padding:10px 28px;font-weight:600}
main{padding:8px 28px 40px;max-width:1200px}
section{background:#fff;border-radius:10px;padding:14px 18px;margin:18px 0;
box-shadow:0 1px 3px rgba(0,0,0,.08)}
h2{font-size:17px;margin:0 0 10px} .grid{display:flex;flex-wrap:wrap;gap:14px}
figure{margin:0;text-align:center} figcaption{font-size:13px;color:#555;max-width:220px}
img{width:200px;height:200px;object-fit:contain;background:#eee;border-radius:6px;
image-rendering:pixelated}
table{border-collapse:collapse;font-size:14px} td,th{border-bottom:1px solid #eee;
padding:4px 10px;text-align:left} .ok{color:#17803d;font-weight:600}
.thumb{width:64px;height:64px;margin:0 4px 4px 0}
.bad{color:#b3261e;font-weight:600} code{background:#f1efe9;padding:1px 4px;border-radius:4px}
"""


def _fig(src: str, caption: str) -> str:
    return (f'<figure><img src="{escape(src)}" alt="{escape(caption)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def _table(rows: list[tuple[str, ...]], head: tuple[str, ...] = ("", "")) -> str:
    def row(cells: tuple[str, ...], tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}>{escape(c)}</{tag}>" for c in cells) + "</tr>"

    th = row(head, "th") if any(head) else ""
    return f"<table>{th}{''.join(row(r, 'td') for r in rows)}</table>"


def _try_on(title: str, run: dict[str, Any], inputs: list[tuple[str, str]]) -> str:
    """The request's images (``inputs``: source, caption), the mask the model blended
    through, each output with its size variants."""
    req, result = run["request"], run["result"]
    figs = [_fig(src, caption) for src, caption in inputs]
    used = result.get("mask", {}).get("file")
    if used:
        figs.append(_fig(used, "mask used (dilated, feathered)"))
    for i, im in enumerate(result["images"]):
        size = f" — {im['width']}×{im['height']}" if im.get("width") else ""
        figs.append(_fig(im["file"], f"output {i + 1}{size}"))
        figs += [_fig(v["file"], f"{name} {v['width']}×{v['height']}")
                 for name, v in im.get("variants", {}).items()]
    params = ", ".join(f"{k}={req[k]}" for k in
                       ("n", "seed", "steps", "guidance_scale", "category", "garment_strength",
                        "format", "quality") if k in req)
    withheld = result.get("withheld") or []
    note = f"<p>Withheld by moderation: {escape(str(withheld))}</p>" if withheld else ""
    garment = req.get("garment_prompt") or "(the photo only)"
    return (f"<h3>{escape(title)}</h3><p>garment: <em>{escape(garment)}</em>"
            f" — {escape(params)} — job <code>{escape(run['job_id'])}</code></p>"
            f'<div class="grid">{"".join(figs)}</div>{note}')


def _avatar(run: dict[str, Any]) -> str:
    avatar, generation = run["avatar"], run["generation"]
    training = avatar["training"]
    photos = "".join(f'<img class="thumb" src="{escape(src)}" alt="training photo">'
                     for src in run["photos"])
    outputs = "".join(_fig(src, f"generated {i + 1}") for i, src in enumerate(run["images"]))
    loss = training.get("final_loss")
    rows = [
        ("avatar id", avatar["id"]),
        ("subject (use in prompts)", avatar["subject"]),
        ("photos", str(avatar["photo_count"])),
        ("training", f"{training['steps']} steps at {training['resolution']} px, "
                     f"LoRA rank {training['rank']}"),
        ("final loss", "n/a" if loss is None else f"{loss:.4f}"),
        ("adapter size", f"{(training.get('adapter_bytes') or 0) / 1024:.1f} KiB"),
    ]
    return (f"<p>{photos}</p>{_table(rows)}<h3>Generation</h3>"
            f"<p>prompt: <em>{escape(generation['request']['prompt'])}</em> — job "
            f"<code>{escape(generation['job_id'])}</code></p>"
            f'<div class="grid">{outputs}</div>')


def _generations(runs: dict[str, Any]) -> str:
    """Each generation: its request, the control image computed from the photo (if any),
    the outputs."""
    cells = []
    for tag, run in runs.items():
        req, result = run["request"], run["result"]
        figs = []
        control = result.get("control_image") or {}
        if control.get("file"):
            figs.append(_fig(control["file"], f"control image ({req['control']['type']})"))
        for i, im in enumerate(result["images"]):
            figs.append(_fig(im["file"], f"output {i + 1} — {im.get('width')}×{im.get('height')}"))
        params = ", ".join(f"{k}={req[k]}" for k in
                           ("size", "variant", "n", "seed", "steps", "adapters", "control")
                           if k in req)
        cells.append(f"<h3>{escape(tag)}</h3><p>prompt: <em>{escape(req['prompt'])}</em> — "
                     f"{escape(params)} — job <code>{escape(run['job_id'])}</code></p>"
                     f'<div class="grid">{"".join(figs)}</div>')
    return "".join(cells)


# Where `make serve` (HOST, PORT defaults) serves the playground page.
PLAYGROUND_URL = "http://127.0.0.1:8000/playground/"


def _taxonomy(tax: dict[str, Any]) -> str:
    described = tax["describe"]
    rows = [
        (name, a["value"], f"{a['confidence']:.2f}", "needs review" if a["needs_review"] else "ok",
         ", ".join(f"{v} {p:.2f}" for v, p in a["scores"].items()))
        for name, a in described["attributes"]["answers"].items()
    ]
    return f"""<section><h2>Attributes — your taxonomy, with confidence and review routing</h2>
<p>Answers are only the taxonomy's allowed values: each value scored by the model in one
pass; confidence is the answer's share over the allowed values (review threshold
{tax["threshold"]}).</p>
{_table(rows, ("attribute", "value", "confidence", "review", "scores"))}
<p>Copy written from <code>{escape(", ".join(described["written_from"]) or "—")}</code>;
held for review: <code>{escape(", ".join(described["held_for_review"]) or "—")}</code>.</p>
<h3>{escape(described["description"]["title"])}</h3>
<p>{escape(described["description"]["description"])}</p></section>"""


def write_gallery(out: Path, results: dict[str, Any], calls: list[Call], *, tiny: bool,
                  seconds: float) -> Path:
    label = ("tiny offline models — random weights: outputs are noise by design; they show "
             "the pipeline runs end to end, not image quality") if tiny else "real weights"
    seg = results["segmentation"]
    masks = "".join(_fig(m["file"], f"“{m['prompt']}” — coverage {m['coverage']:.1%}")
                    for m in seg["masks"])
    auto, given = results["try_on_auto"], results["try_on_mask"]
    photo = results["try_on_garment"]
    attrs = results["attributes"]
    desc = results["description"]
    describe = results["describe"]
    checks = "".join(
        f"<tr><td>{escape(c['check'])}</td><td>{c['status']}</td>"
        f"<td class=\"{'ok' if c['ok'] else 'bad'}\">{'pass' if c['ok'] else 'FAIL'}</td>"
        f"<td><code>{escape(c['type'])}</code></td></tr>" for c in results["checks"])
    log = "".join(f"<tr><td>{escape(c.method)}</td><td><code>{escape(c.path)}</code></td>"
                  f"<td>{c.status}</td><td>{c.seconds * 1000:.0f} ms</td></tr>" for c in calls)
    bullets = "".join(f"<li>{escape(b)}</li>" for b in desc["bullets"])
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Vitrine demo</title><style>{CSS}</style></head><body>
<header><h1>Vitrine — demo gallery</h1>
<p>Local profile (embedded default), driven over HTTP with an API key.
{len(calls)} calls in {seconds:.1f} s.</p>
<p>Try it with your own photo: <code>make serve</code>, then open the
<a href="{PLAYGROUND_URL}">playground</a> ({PLAYGROUND_URL}).</p></header>
<div class="banner">Models: {escape(label)}</div>
<main>
<section><h2>Input photo</h2><div class="grid">{_fig(results["input"], "input")}</div></section>
<section><h2>Segmentation — CLIPSeg</h2>
<p>{len(seg["masks"])} prompts in one forward pass; image {seg["width"]}×{seg["height"]}.</p>
<div class="grid">{masks}</div></section>
<section><h2>Virtual try-on — inpainting composited at the photo's full resolution</h2>
<p>Outputs keep the input's size; outside the mask used (dilated, feathered) every pixel
is the input's.</p>
{_try_on("From words: automatic mask from the garment text (SD 2 inpainting)", auto, [])}
{_try_on("From a garment photo: SDXL inpainting + IP-Adapter, WebP with size variants",
         photo, [(results["garment_photo"], "garment photo"),
                 (results["supplied_mask"], "supplied mask")])}
{_try_on("From words, supplied mask, photo sent inline", given,
         [(results["supplied_mask"], "supplied mask")])}
</section>
{style_section(results["style"], given)}
<section><h2>Generations — SDXL, with ControlNet</h2>
{_generations(results["generations"])}</section>
{comparison_section(results["comparison"])}
<section><h2>Avatar — DreamBooth-LoRA, served as a multi-model adapter</h2>
{_avatar(results["avatar"])}</section>
<section><h2>Attributes — BLIP-2</h2>
{_table(sorted((k, str(v)) for k, v in attrs["attributes"].items()), ("attribute", "value"))}
<p>model: <code>{escape(str(attrs.get("model", "")))}</code></p></section>
{_taxonomy(results["taxonomy"])}
<section><h2>Description — copywriter</h2><h3>{escape(desc["title"])}</h3>
<p>{escape(desc["description"])}</p><ul>{bullets}</ul>
<p>keywords: {escape(", ".join(desc["keywords"]))} — model: <code>{escape(desc["model"])}</code></p>
</section>
<section><h2>Image → attributes → description, one call</h2>
{_table(sorted((k, str(v)) for k, v in describe["attributes"]["attributes"].items()),
         ("attribute", "value"))}
<h3>{escape(describe["description"]["title"])}</h3>
<p>{escape(describe["description"]["description"])}</p></section>
<section><h2>Promises checked over HTTP</h2><table>
<tr><th>check</th><th>status</th><th>result</th><th>problem type / header</th></tr>{checks}
</table></section>
<section><h2>HTTP calls</h2><table><tr><th>method</th><th>path</th><th>status</th>
<th>time</th></tr>{log}</table></section>
</main></body></html>"""
    index = out / "index.html"
    index.write_text(page)
    return index

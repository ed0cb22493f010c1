#!/usr/bin/env python3
"""A portfolio whose notebooks are shaped like real executed ones (deterministic, stdlib).

    python bench/make_realshaped.py OUT [--projects 40] [--seed 19]

The synthetic corpus (../shared/bench/make_corpus.py) has one or two small PNGs per
notebook and short text lines. Real notebooks are not like that (issue 19: on 402 real
ones `folio clean --check` took 2.3x nbstripout where the synthetic bench said 0.4x). This
one has, among ordinary analysis notebooks:

- one notebook with 150 large PNG outputs (a figure per epoch or per sample);
- ``text/html`` JavaScript animations as ``matplotlib.animation.Animation.to_jshtml``
  writes them (frames as ``data:image/png;base64`` in 76-character lines ending in ``\\``),
  about 3.6 MB, and an ``<video>`` with a base64 mp4 as ``to_html5_video`` writes it;
- a data-URI image in a markdown cell (about 1 MB on one line);
- plotly's offline mode: 3.5 MB of minified JavaScript on a few very long lines;
- Colab notebooks: widget state in the notebook metadata, ``referenced_widgets``,
  ``executionInfo`` and ``outputId`` in the cells, widget-view outputs;
- ``\\r`` progress bars (tqdm) and ANSI colours (Keras, tensorflow-datasets, whose
  download message holds a personal path inside ANSI bold) in stderr streams;
- non-ASCII and right-to-left text (Arabic, Hebrew, Persian, CJK, emoji, bidi marks);
- DNA sequences and primers (``ACCA...``: not AWS key ids).

No secrets are planted: every finding on this corpus is a false positive, except the
personal paths (``/Users/maya/...``), which are real findings.

The same arguments always give byte-identical files (a seeded RNG, no clock read).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import struct
import sys
import zlib

WORDS = (
    "model feature signal forecast cluster metric baseline regression gradient sample "
    "batch latency accuracy recall precision embedding tensor stream label target split "
    "fold score loss optimizer epoch validation holdout variance residual attention"
).split()
ARABIC = "تعلم الآلة هو فرع من الذكاء الاصطناعي يهتم بتطوير خوارزميات تتعلم من البيانات"
HEBREW = "למידת מכונה היא תחום במדעי המחשב העוסק בפיתוח אלגוריתמים הלומדים מנתונים"
PERSIAN = "یادگیری ماشین شاخه‌ای از هوش مصنوعی است که به ساخت مدل‌ها از داده می‌پردازد"
CJK = "機械学習はデータから学習するアルゴリズムの研究です。机器学习是人工智能的一个分支。"
EMOJI = "✅ done 🚀 fast 📈 up ⚠️ careful 🧪 test"


def sentence(rng: random.Random, lo: int = 6, hi: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def lines(text: str) -> list[str]:
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


# ---------------------------------------------------------------------------- media
def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png(rng: random.Random, target: int, width: int = 640, height: int = 480) -> bytes:
    """A real RGB PNG of about ``target`` bytes: a smooth background, a noisy band per row."""
    noise = max(0, min(width * 3, target // height))
    background = bytearray()
    for x in range(width):
        v = 255 - (x * 60) // width
        background += bytes((v, v, 245))
    rows = bytearray()
    for _ in range(height):
        row = bytearray(background)
        start = rng.randrange(0, width * 3 - noise + 1)
        row[start : start + noise] = rng.randbytes(noise)
        rows += b"\x00" + row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 6))
        + _chunk(b"IEND", b"")
    )


def mp4(rng: random.Random, size: int) -> bytes:
    """Bytes that start like an mp4 file (ftyp box), then noise: what a video embeds."""
    head = struct.pack(">I", 32) + b"ftypisom" + b"\x00\x00\x02\x00isomiso2avc1mp41"
    return head + rng.randbytes(size - len(head))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def image_output(rng: random.Random, target: int, text: str) -> dict:
    return {
        "data": {"image/png": b64(png(rng, target)) + "\n", "text/plain": [text]},
        "metadata": {"needs_background": "light"},
        "output_type": "display_data",
    }


def jshtml(rng: random.Random, frames: int, frame_bytes: int) -> str:
    """What ``Animation.to_jshtml()`` returns, frames embedded (matplotlib 3.x layout)."""
    anim = f"{rng.getrandbits(128):032x}"
    parts = [
        '\n<link rel="stylesheet"\nhref="https://maxcdn.bootstrapcdn.com/font-awesome/4.4.0/'
        'css/font-awesome.min.css">\n<script language="javascript">\n'
        "  function isInternetExplorer() {\n"
        "    ua = navigator.userAgent;\n"
        "    return ua.indexOf('MSIE ') > -1 || ua.indexOf('Trident/') > -1;\n  }\n\n"
        "  /* Define the Animation class */\n"
        "  function Animation(frames, img_id, slider_id, interval, loop_select_id){\n"
        "    this.img_id = img_id;\n    this.slider_id = slider_id;\n"
        "    this.loop_select_id = loop_select_id;\n    this.interval = interval;\n"
        "    this.current_frame = 0;\n    this.direction = 0;\n    this.timer = null;\n"
        "    this.frames = new Array(frames.length);\n\n"
        "    for (var i=0; i<frames.length; i++)\n    {\n"
        "     this.frames[i] = new Image();\n     this.frames[i].src = frames[i];\n    }\n"
        "    var slider = document.getElementById(this.slider_id);\n"
        "    slider.max = this.frames.length - 1;\n"
        "    document.addEventListener('keydown', (event) => { if (event.key === 'ArrowLeft')"
        " this.previous_frame(); });\n  }\n</script>\n\n"
        f'<div class="animation">\n  <img id="_anim_img{anim}">\n'
        f'  <div class="anim-controls">\n    <input id="_anim_slider{anim}" type="range" '
        'class="anim-slider"\n           name="points" min="0" max="1" step="1" value="0"\n'
        f'           oninput="anim{anim}.set_frame(parseInt(this.value));">\n  </div>\n</div>\n'
        '\n\n<script language="javascript">\n  /* Instantiate the Animation class. */\n'
        "  /* The IDs given should match those used in the template above. */\n"
        "  (function() {\n"
        f'    var img_id = "_anim_img{anim}";\n'
        f'    var slider_id = "_anim_slider{anim}";\n'
        f'    var loop_select_id = "_anim_loop_select{anim}";\n'
        f"    var frames = new Array({frames});\n    \n",
    ]
    for i in range(frames):
        data = base64.encodebytes(png(rng, frame_bytes, 480, 320)).decode("ascii")
        body = data.replace("\n", "\\\n")
        parts.append(f'  frames[{i}] = "data:image/png;base64,{body}"\n')
    parts.append(
        "\n\n    /* set a timeout to make sure all the above elements are created before\n"
        "       the object is initialized. */\n    setTimeout(function() {\n"
        f"        anim{anim} = new Animation(frames, img_id, slider_id, 200.0,\n"
        "                                 loop_select_id);\n    }, 0);\n  })()\n</script>\n"
    )
    return "".join(parts)


def html5_video(rng: random.Random, size: int) -> str:
    """What ``Animation.to_html5_video()`` returns: a base64 mp4 in 76-character lines."""
    data = base64.encodebytes(mp4(rng, size)).decode("ascii")
    return (
        '<video width="640" height="480" controls autoplay loop>\n'
        f'  <source type="video/mp4" src="data:video/mp4;base64,{data}">\n'
        "  Your browser does not support the video tag.\n</video>"
    )


def minified_js(rng: random.Random, size: int) -> str:
    """Plotly's offline bundle in shape: lines of up to 1.1 MB of minified JavaScript.

    The density of what a secret scanner looks for is plotly.min.js 2.x's: per MB about 300
    ``key`` (``Object.keys``, ``keydown``), 36 ``pass``, 4 ``token``, and one or two
    assignments that look like a secret (``token:"..."``); a DNA-like string literal too.
    """
    plain = (
        'function(t,e,r){var n=t("./lib");',
        "return e.x=r.y||null;",
        'if(t.visible&&t.hoverinfo)throw new Error("x");',
        "for(var i=0;i<n.length;i++)o[n[i]]=s[i];",
        "e.prototype.render=function(){this._dirty=!1};",
        "t.data=new Float32Array(65536);",
        "var l=Math.max(0,Math.min(1,(a-o)/(s-o)));",
        'c.style("stroke-width",u+"px").attr("d",h);',
    )
    rare = (
        (0.0090, "var a=Object.keys(e).map(function(t){return e[t]});"),
        (0.0011, 'r.on("keydown",function(t){t.preventDefault()});'),
        (0.0011, "n.bypass=!0;"),
        (0.00012, "e.token=t.mapboxAccessToken||null;"),
        (0.00003, 'o.tokenize=function(t){return{token:"ident",value:t}};'),
        (0.00001, 's.seq="ACCAGTTCAGGTTACCAGTA";'),
    )
    out: list[str] = ["/**\n* plotly.js v2.27.0\n* Copyright 2012-2023, Plotly, Inc.\n*/\n"]
    length = 0
    line: list[str] = []
    while length < size:
        r = rng.random()
        piece = rng.choice(plain)
        for p, text in rare:
            if r < p:
                piece = text
                break
            r -= p
        line.append(piece)
        length += len(piece)
        if len(line) >= 25_000:
            out.append("".join(line) + "\n")
            line = []
    out.append("".join(line) + "\n")
    return "".join(out)


# -------------------------------------------------------------------------- notebook
class Book:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cells: list[dict] = []
        self.count = 0

    def _id(self) -> str:
        return f"{self.rng.getrandbits(32):08x}"

    def md(self, text: str, meta: dict | None = None) -> None:
        self.cells.append(
            {
                "cell_type": "markdown",
                "id": self._id(),
                "metadata": meta or {},
                "source": lines(text),
            }
        )

    def code(self, source: str, outputs: list[dict], meta: dict | None = None) -> None:
        self.count += 1
        outs = [
            dict(o, execution_count=self.count) if o["output_type"] == "execute_result" else o
            for o in outputs
        ]
        self.cells.append(
            {
                "cell_type": "code",
                "execution_count": self.count,
                "id": self._id(),
                "metadata": meta or {},
                "outputs": outs,
                "source": lines(source),
            }
        )


def stream(text: str, name: str = "stdout") -> dict:
    return {"name": name, "output_type": "stream", "text": lines(text)}


def result(data: dict) -> dict:
    return {"data": data, "metadata": {}, "output_type": "execute_result"}


def table(rng: random.Random, rows: int) -> dict:
    cols = rng.sample(["age", "tenure", "spend", "visits", "score", "clicks", "rating"], 4)
    html = ['<div>\n<table border="1" class="dataframe">\n  <thead>\n    <tr>\n']
    html += [f"      <th>{c}</th>\n" for c in cols] + ["    </tr>\n  </thead>\n  <tbody>\n"]
    plain = ["    " + "".join(c.rjust(10) for c in cols) + "\n"]
    for i in range(rows):
        values = [f"{rng.uniform(0, 100):.3f}" for _ in cols]
        html.append("    <tr>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>\n")
        plain.append(f"{i:<4}" + "".join(v.rjust(10) for v in values) + "\n")
    html.append("  </tbody>\n</table>\n</div>")
    return result({"text/html": html, "text/plain": plain})


def tqdm_bar(rng: random.Random, total: int, steps: int) -> str:
    parts = []
    for k in range(steps + 1):
        done = total * k // steps
        filled = 10 * k // steps
        bar = "█" * filled + " " * (10 - filled)
        rate = rng.uniform(50, 90)
        parts.append(
            f"\r{100 * k // steps:3d}%|{bar}| {done}/{total} "
            f"[00:{k // 4:02d}<00:{(steps - k) // 4:02d}, {rate:.2f}it/s]"
        )
    return "".join(parts) + "\n"


def keras_log(rng: random.Random, epochs: int) -> str:
    out = []
    for epoch in range(1, epochs + 1):
        loss, acc = rng.uniform(0.05, 0.6), rng.uniform(0.8, 0.99)
        out.append(f"Epoch {epoch}/{epochs}\n")
        for step in (1, 469, 938):
            bar = (
                "\x1b[32m"
                + "━" * (20 * step // 938)
                + "\x1b[0m\x1b[37m"
                + "━" * (20 - 20 * step // 938)
            )
            out.append(
                f"\r\x1b[1m{step:>3}/938\x1b[0m {bar}\x1b[0m \x1b[1m12s\x1b[0m 13ms/step - "
                f"accuracy: {acc:.4f} - loss: {loss:.4f}"
            )
        out.append("\n")
    return "".join(out)


def metadata(colab: bool = False) -> dict:
    meta: dict = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {
            "codemirror_mode": {"name": "ipython", "version": 3},
            "file_extension": ".py",
            "mimetype": "text/x-python",
            "name": "python",
            "nbconvert_exporter": "python",
            "pygments_lexer": "ipython3",
            "version": "3.11.7",
        },
    }
    if colab:
        meta["colab"] = {"provenance": [], "gpuType": "T4", "toc_visible": True}
        meta["accelerator"] = "GPU"
        meta["kernelspec"] = {"display_name": "Python 3", "name": "python3"}
    return meta


def book(cells: Book, meta: dict) -> dict:
    return {"cells": cells.cells, "metadata": meta, "nbformat": 4, "nbformat_minor": 5}


def figures_notebook(rng: random.Random, count: int) -> dict:
    """A figure per epoch: ``count`` large PNGs (about 60-110 KB of base64 each)."""
    nb = Book(rng)
    nb.md("# Training curves, one figure per epoch\n\n" + sentence(rng))
    nb.code("import matplotlib.pyplot as plt\nimport numpy as np", [])
    for epoch in range(count):
        nb.code(
            f"plot_epoch(history, epoch={epoch})\nplt.show()",
            [image_output(rng, rng.randint(45_000, 80_000), "<Figure size 640x480 with 2 Axes>")],
        )
    return book(nb, metadata())


def animation_notebook(rng: random.Random) -> dict:
    nb = Book(rng)
    nb.md("# How the decision boundary moves\n\n" + sentence(rng))
    nb.code(
        "from matplotlib import animation\nfrom IPython.display import HTML\n"
        "anim = animation.FuncAnimation(fig, update, frames=60, interval=200)\n"
        "HTML(anim.to_jshtml())",
        [
            result(
                {
                    "text/html": lines(jshtml(rng, 60, 44_000)),
                    "text/plain": ["<IPython.core.display.HTML object>"],
                }
            )
        ],
    )
    nb.code(
        "HTML(anim.to_html5_video())",
        [
            result(
                {
                    "text/html": lines(html5_video(rng, 400_000)),
                    "text/plain": ["<IPython.core.display.HTML object>"],
                }
            )
        ],
    )
    nb.md("The boundary settles after about 40 frames.")
    return book(nb, metadata())


def markdown_image_notebook(rng: random.Random) -> dict:
    nb = Book(rng)
    image = b64(png(rng, 730_000, 800, 600))  # about 977,000 characters, one line
    nb.md(f"# Architecture\n\n![the model](data:image/png;base64,{image})\n\n" + sentence(rng))
    nb.code("model.summary()", [stream('Model: "sequential"\nTotal params: 1,199,882\n')])
    html_img = b64(png(rng, 40_000, 320, 200))
    nb.code(
        "display(HTML(thumbnail_html))",
        [
            {
                "data": {
                    "text/html": [f'<img src="data:image/png;base64,{html_img}" width="320"/>'],
                    "text/plain": ["<IPython.core.display.HTML object>"],
                },
                "metadata": {},
                "output_type": "display_data",
            }
        ],
    )
    return book(nb, metadata())


def plotly_notebook(rng: random.Random) -> dict:
    nb = Book(rng)
    nb.md("# Interactive residuals\n\n" + sentence(rng))
    js = minified_js(rng, 3_500_000)
    nb.code(
        "import plotly.offline as py\npy.init_notebook_mode(connected=False)",
        [
            {
                "data": {
                    "text/html": [
                        '<script type="text/javascript">\n'
                        'window.PlotlyConfig = {MathJaxConfig: "local"};\n</script>\n',
                        f'<script type="text/javascript">{js}</script>\n',
                    ]
                },
                "metadata": {},
                "output_type": "display_data",
            }
        ],
    )
    points = [[round(rng.uniform(-3, 3), 4) for _ in range(2)] for _ in range(2000)]
    nb.code(
        "fig = px.scatter(df, x='fitted', y='residual')\nfig.show()",
        [
            {
                "data": {
                    "application/vnd.plotly.v1+json": {
                        "config": {"plotlyServerURL": "https://plot.ly"},
                        "data": [
                            {
                                "type": "scatter",
                                "mode": "markers",
                                "x": [p[0] for p in points],
                                "y": [p[1] for p in points],
                            }
                        ],
                        "layout": {"title": {"text": "Residuals"}},
                    },
                    "text/html": [
                        f'<div id="{rng.getrandbits(64):016x}" class="plotly-graph-div"></div>'
                    ],
                },
                "metadata": {},
                "output_type": "display_data",
            }
        ],
    )
    return book(nb, metadata())


def colab_notebook(rng: random.Random, slug: str) -> dict:
    nb = Book(rng)
    widgets: dict = {}
    referenced = []
    for _ in range(24):
        wid = f"{rng.getrandbits(128):032x}"
        referenced.append(wid)
        widgets[wid] = {
            "model_module": "@jupyter-widgets/controls",
            "model_module_version": "1.5.0",
            "model_name": rng.choice(
                [
                    "HBoxModel",
                    "FloatProgressModel",
                    "HTMLModel",
                    "LayoutModel",
                    "ProgressStyleModel",
                ]
            ),
            "state": {
                "_dom_classes": [],
                "bar_style": "success",
                "description": "",
                "layout": f"IPY_MODEL_{rng.getrandbits(128):032x}",
                "max": 938,
                "value": 938,
            },
        }

    def colab_meta(height: int, refs: list[str]) -> dict:
        return {
            "colab": {
                "base_uri": "https://localhost:8080/",
                "height": height,
                "referenced_widgets": refs,
            },
            "executionInfo": {
                "elapsed": rng.randint(100, 90_000),
                "status": "ok",
                "timestamp": 1_700_000_000_000 + rng.randint(0, 10**9),
                "user": {
                    "displayName": "Maya Lindqvist",
                    "userId": str(rng.randint(10**19, 10**20)),
                },
                "user_tz": -60,
            },
            "id": "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ") for _ in range(12)),
            "outputId": "-".join(f"{rng.getrandbits(4 * n):0{n}x}" for n in (8, 4, 4, 4, 12)),
        }

    nb.md(f"# {slug.replace('-', ' ').title()} on Colab\n\n" + sentence(rng))
    nb.code(
        "!pip install -q tensorflow-datasets transformers",
        [
            stream(
                "\x1b[2K     \x1b[90m━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\x1b[0m "
                "\x1b[32m5.1/5.1 MB\x1b[0m \x1b[31m41.2 MB/s\x1b[0m eta \x1b[36m0:00:00\x1b[0m\n"
            )
        ],
        colab_meta(0, []),
    )
    nb.code(
        "ds = tfds.load('mnist', split='train', as_supervised=True)",
        [
            stream(
                "Downloading and preparing dataset 11.06 MiB (download: 11.06 MiB, generated: "
                "21.00 MiB, total: 32.06 MiB) to \x1b[1m/Users/maya/tensorflow_datasets/mnist/"
                "3.0.1...\x1b[0m\n",
                "stderr",
            ),
            {
                "data": {
                    "application/vnd.jupyter.widget-view+json": {
                        "model_id": referenced[0],
                        "version_major": 2,
                        "version_minor": 0,
                    },
                    "text/plain": ["Dl Completed...: 0 url [00:00, ? url/s]"],
                },
                "metadata": {},
                "output_type": "display_data",
            },
            stream(
                "Dataset mnist downloaded and prepared to \x1b[1m/Users/maya/"
                "tensorflow_datasets/mnist/3.0.1\x1b[0m. Subsequent calls will reuse this "
                "data.\n",
                "stderr",
            ),
        ],
        colab_meta(113, referenced[:6]),
    )
    nb.code(
        "for batch in tqdm(loader):\n    step(batch)",
        [stream(tqdm_bar(rng, 938, 200), "stderr")],
        colab_meta(49, referenced[6:12]),
    )
    nb.code(
        "history = model.fit(ds_train, epochs=12, validation_data=ds_test)",
        [stream(keras_log(rng, 12))],
        colab_meta(0, []),
    )
    nb.code(
        "plt.plot(history.history['loss'])",
        [image_output(rng, 30_000, "<Figure size 640x480 with 1 Axes>")],
        colab_meta(430, referenced[12:]),
    )
    meta = metadata(colab=True)
    meta["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "state": widgets,
            "version_major": 2,
            "version_minor": 0,
        }
    }
    return book(nb, meta)


def i18n_notebook(rng: random.Random) -> dict:
    nb = Book(rng)
    nb.md(f"# تحليل المشاعر — ניתוח רגשות\n\n{ARABIC}.\n\n{HEBREW}.\n\n\u200f{PERSIAN}\u200f\n")
    nb.md(f"## 多言語\n\n{CJK}\n\n{EMOJI}\n\nCafé, naïve, Ångström, Ελληνικά, Кириллица.")
    reviews = [ARABIC, HEBREW, PERSIAN, CJK, "\u202b" + ARABIC[:40] + "\u202c"]
    nb.code(
        "for text in df['review'].head():\n    print(text, classify(text))",
        [stream("".join(f"{r} → {rng.choice(['إيجابي', 'שלילי', 'مثبت'])}\n" for r in reviews))],
    )
    nb.code("df.head()", [table(rng, 5)])
    return book(nb, metadata())


def dna_notebook(rng: random.Random) -> dict:
    nb = Book(rng)
    nb.md("# Primer design\n\nCandidate primers for the 16S region.")
    seqs = []
    for _ in range(40):
        seqs.append("ACCA" + "".join(rng.choice("ACGT") for _ in range(16)))
    long = "".join(rng.choice("ACGT") for _ in range(6000))
    nb.code(
        "for p in primers:\n    print(p, tm(p))",
        [stream("".join(f"{s} {rng.uniform(55, 65):.1f}\n" for s in seqs))],
    )
    nb.code(
        "print(record.format('fasta'))",
        [
            stream(
                ">NR_024570.1 Escherichia coli 16S ribosomal RNA\n"
                + "\n".join(long[i : i + 60] for i in range(0, len(long), 60))
                + "\n"
            )
        ],
    )
    nb.code("primers", [result({"text/plain": [repr(seqs[:8])]})])
    return book(nb, metadata())


def analysis_notebook(rng: random.Random, slug: str) -> dict:
    """The ordinary bulk: tables, a few figures, prints, a warning on stderr."""
    nb = Book(rng)
    nb.md(f"# {slug.replace('-', ' ').title()}\n\n" + " ".join(sentence(rng) for _ in range(3)))
    nb.code(
        "import pandas as pd\nimport numpy as np",
        [
            stream(
                "/usr/lib/python3/dist-packages/pandas/core/computation/expressions.py:21: "
                "UserWarning: Pandas requires version '2.8.4' or newer of 'numexpr'.\n",
                "stderr",
            )
        ],
    )
    for _ in range(rng.randint(12, 30)):
        r = rng.random()
        if r < 0.25:
            nb.md("## " + sentence(rng, 2, 5).rstrip(".") + "\n\n" + sentence(rng))
        elif r < 0.5:
            nb.code("df.describe()", [table(rng, rng.randint(5, 40))])
        elif r < 0.65:
            nb.code(
                "plt.plot(x, y)\nplt.show()",
                [
                    image_output(
                        rng, rng.randint(20_000, 70_000), "<Figure size 640x480 with 1 Axes>"
                    )
                ],
            )
        elif r < 0.9:
            text = "".join(
                f"{rng.choice(WORDS)}: {rng.uniform(0, 1):.4f}\n" for _ in range(rng.randint(3, 60))
            )
            nb.code("for k, v in metrics.items():\n    print(f'{k}: {v:.4f}')", [stream(text)])
        else:
            nb.code("model.fit(X, y)", [result({"text/plain": ["LogisticRegression(C=0.5)"]})])
    return book(nb, metadata())


README = """---
title: {title}
summary: {summary}
date: 2024-{month:02d}-{day:02d}
tags: [ml, notebooks]
skills: [Python, pandas]
links:
  repo: https://github.com/maya-lindqvist/{slug}
results:
  - accuracy {acc:.3f} on the held-out month against {base:.3f} for the baseline
---

# {title}

## Problem

{problem}

## Approach

{approach}

## Results

| metric | baseline | model |
| --- | ---: | ---: |
| accuracy | {base:.3f} | {acc:.3f} |

## How to run

```bash
pip install -r requirements.txt
jupyter nbconvert --execute notebooks/*.ipynb
```
"""


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def notebook_text(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--projects", "-n", type=int, default=40, help="at least 7")
    ap.add_argument("--seed", type=int, default=19)
    args = ap.parse_args(argv)
    if os.path.exists(args.out) and os.listdir(args.out):
        ap.error(f"{args.out} exists and is not empty")
    special = [
        ("figures", lambda r: figures_notebook(r, 150)),
        ("animation", animation_notebook),
        ("markdown-image", markdown_image_notebook),
        ("plotly", plotly_notebook),
        ("colab", lambda r: colab_notebook(r, "mnist-colab")),
        ("i18n", i18n_notebook),
        ("dna", dna_notebook),
    ]
    for i in range(max(args.projects, len(special))):
        rng = random.Random(f"{args.seed}:{i}")
        slug = f"p{i:03d}-" + rng.choice(["churn", "vision", "nlp", "forecast", "genomics"])
        folder = os.path.join(args.out, "projects", slug)
        notebooks: list[tuple[str, dict]] = []
        if i < len(special):
            name, make = special[i]
            notebooks.append((name, make(rng)))
        notebooks.append(("analysis", analysis_notebook(rng, slug)))
        if i % 3 == 0:
            notebooks.append(("colab-train", colab_notebook(rng, slug)))
        if i % 4 == 1:
            notebooks.append(("figures", figures_notebook(rng, rng.randint(8, 25))))
        if i % 5 == 2:
            notebooks.append(("reviews", i18n_notebook(rng)))
        for k, (name, nb) in enumerate(notebooks, 1):
            write(os.path.join(folder, "notebooks", f"{k:02d}-{name}.ipynb"), notebook_text(nb))
        base = rng.uniform(0.6, 0.8)
        write(
            os.path.join(folder, "README.md"),
            README.format(
                title=slug.split("-", 1)[1].title() + f" study {i}",
                summary=sentence(rng, 8, 14),
                month=1 + i % 12,
                day=1 + i % 28,
                slug=slug,
                acc=base + rng.uniform(0.02, 0.1),
                base=base,
                problem=" ".join(sentence(rng) for _ in range(3)),
                approach=" ".join(sentence(rng) for _ in range(3)),
            ),
        )
    write(
        os.path.join(args.out, "pyproject.toml"),
        '[tool.folio]\nowner = "Maya Lindqvist"\n',
    )
    write(
        os.path.join(args.out, "README.md"),
        "# Maya Lindqvist\n\nReal-shaped portfolio for the benchmarks.\n",
    )
    write(os.path.join(args.out, ".gitignore"), "site/\n.folio-cache/\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

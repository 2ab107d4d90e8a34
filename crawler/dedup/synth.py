"""Synthetic Vietnamese inspection reports for the dedup evaluation (deterministic, seeded).

* `Event` + `write_account(event, style, rng)`: one outlet's own account of one meeting,
  built from section templates (opening, attendance, results, limitations, tasks,
  closing). Different styles use different template banks; the facts (date, province,
  names, figures) are the event's, so two outlets' accounts share names, numbers and
  the formula phrases but not their sentences.
* `mutate(text, rng, kinds)`: near copies — rewritten lead, added local paragraph
  ("Tại điểm cầu Tỉnh ủy X, …"), dropped sentence, an added "Theo TTXVN" line, typo
  fixes, paragraph re-wrapping.
* `scale_corpus(n, seed, dup_rate)`: fast generator for the scale test: realistic-length
  texts (≈ 450–1100 words) of formula sentences + sentences drawn from a vocabulary of
  real syllables (the seed reports'), with ~dup_rate near/exact copies injected.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

PROVINCES = [
    "Hải Dương", "Quảng Ninh", "Cần Thơ", "Thanh Hóa", "Nghệ An", "Bắc Ninh", "Thái Bình", "Nam Định",
    "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Quảng Nam", "Quảng Ngãi", "Bình Định",
    "Phú Yên", "Khánh Hòa", "Ninh Thuận", "Bình Thuận", "Kon Tum", "Gia Lai", "Đắk Lắk", "Lâm Đồng",
    "Bình Phước", "Tây Ninh", "Bình Dương", "Đồng Nai", "Long An", "Tiền Giang", "Bến Tre", "Vĩnh Long",
    "Trà Vinh", "Đồng Tháp", "An Giang", "Kiên Giang", "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau",
    "Lào Cai", "Yên Bái", "Tuyên Quang", "Hà Giang", "Cao Bằng", "Lạng Sơn", "Bắc Giang", "Phú Thọ",
    "Vĩnh Phúc", "Thái Nguyên", "Bắc Kạn", "Sơn La", "Điện Biên", "Lai Châu", "Hòa Bình", "Ninh Bình",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Lý", "Hồ", "Phan", "Trịnh"]
MIDDLE = ["Văn", "Thị", "Hồng", "Minh", "Quốc", "Đức", "Thanh", "Xuân", "Tiến", "Hữu", "Ngọc", "Công"]
GIVEN = ["Hiệu", "Hiên", "Phong", "Thủy", "Dũng", "Bình", "Hoàng", "Tú", "Mai", "Khái", "Hải", "Sơn", "Hùng",
         "Lan", "Hương", "Tuấn", "Long", "Nam", "Trung", "Thắng", "Quang", "Vinh", "Cường", "Hà", "Yến"]
OUTLETS = ["TTXVN", "Báo Nhân Dân", "VOV", "Báo Đảng bộ", "Cổng thông tin điện tử tỉnh"]


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def num(rng: random.Random, lo: int, hi: int) -> str:
    n = rng.randint(lo, hi)
    return f"{n:,}".replace(",", ".")


@dataclass
class Event:
    """Facts of one meeting, shared by every account of it."""
    id: str
    province: str
    year: int
    day: int
    month: int
    level: str = "tinh"
    doc_type: str = "tong-ket-nam"
    chair: str = ""
    inspector: str = ""
    guest: str = ""
    figures: dict = field(default_factory=dict)

    @classmethod
    def random(cls, rng: random.Random, eid: str, province: str | None = None, year: int | None = None) -> "Event":
        year = year or rng.choice([2022, 2023, 2024, 2025])
        month, day = rng.choice([(12, rng.randint(15, 30)), (1, rng.randint(3, 20))])
        figs = {k: num(rng, lo, hi) for k, (lo, hi) in {
            "kt_tc": (40, 900), "kt_dv": (200, 4000), "gs_tc": (50, 1200), "gs_dv": (300, 5000),
            "dh_tc": (3, 60), "dh_dv": (20, 300), "kl_tc": (1, 25), "kl_dv": (30, 400), "cuoc": (15, 60),
            "vb": (8, 40), "to_cao": (5, 90)}.items()}
        return cls(eid, province or rng.choice(PROVINCES), year, day, month,
                   chair=person(rng), inspector=person(rng), guest=person(rng), figures=figs)

    @property
    def date(self) -> str:
        y = self.year + 1 if self.month == 1 else self.year
        return f"{y:04d}-{self.month:02d}-{self.day:02d}"

    def slots(self) -> dict:
        return {"p": self.province, "y": self.year, "y1": self.year + 1, "d": self.day, "m": self.month,
                "chair": self.chair, "insp": self.inspector, "guest": self.guest, **self.figures}


# Section template banks: style → section → variants.  {placeholders} are Event.slots().
STYLES = {
    "portal": {
        "open": [
            "Ngày {d}/{m}, Ban Thường vụ Tỉnh ủy {p} tổ chức hội nghị tổng kết công tác kiểm tra, giám sát và thi hành kỷ luật của Đảng năm {y}, triển khai nhiệm vụ năm {y1}. Đồng chí {chair}, Phó Bí thư Thường trực Tỉnh ủy chủ trì hội nghị.",
            "Sáng {d}/{m}, Tỉnh ủy {p} tổ chức hội nghị trực tuyến toàn tỉnh tổng kết công tác kiểm tra, giám sát năm {y}. Hội nghị được kết nối tới điểm cầu các huyện ủy, thị ủy, thành ủy và đảng ủy trực thuộc.",
        ],
        "attend": [
            "Dự hội nghị có đồng chí {guest}, Phó Vụ trưởng Vụ Địa bàn, Cơ quan UBKT Trung ương; đồng chí {insp}, Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy {p} cùng lãnh đạo các ban, sở, ngành cấp tỉnh.",
            "Tham dự hội nghị có lãnh đạo Ủy ban Kiểm tra Tỉnh ủy, đại diện các ban xây dựng Đảng, Đảng ủy Quân sự tỉnh, Đảng ủy Công an tỉnh và lãnh đạo ủy ban kiểm tra các huyện ủy, thành ủy.",
        ],
        "results": [
            "Theo báo cáo, năm {y} cấp ủy các cấp trong tỉnh đã kiểm tra {kt_tc} tổ chức đảng và {kt_dv} đảng viên; giám sát {gs_tc} tổ chức đảng và {gs_dv} đảng viên. Ủy ban kiểm tra các cấp đã kiểm tra {dh_tc} tổ chức đảng và {dh_dv} đảng viên khi có dấu hiệu vi phạm.",
            "Qua kiểm tra, giám sát, cấp ủy và ủy ban kiểm tra các cấp đã thi hành kỷ luật {kl_tc} tổ chức đảng và {kl_dv} đảng viên; giải quyết {to_cao} đơn thư tố cáo, khiếu nại đúng thời hạn, không để tồn đọng.",
            "Tỉnh ủy, Ban Thường vụ Tỉnh ủy đã ban hành {vb} văn bản lãnh đạo, chỉ đạo và hoàn thành {cuoc} cuộc kiểm tra, giám sát theo chương trình đề ra từ đầu năm.",
        ],
        "limits": [
            "Bên cạnh kết quả đạt được, một số cấp ủy cơ sở chưa chủ động xây dựng chương trình kiểm tra, giám sát; việc kiểm tra khi có dấu hiệu vi phạm ở một số nơi còn ít, chất lượng báo cáo chưa cao.",
            "Hội nghị thẳng thắn chỉ ra việc theo dõi, đôn đốc khắc phục hạn chế sau kiểm tra ở một số đảng bộ còn chậm, ứng dụng công nghệ thông tin trong ngành kiểm tra chưa đồng đều.",
        ],
        "tasks": [
            "Phát biểu chỉ đạo, đồng chí {chair} đề nghị năm {y1} các cấp ủy tập trung giám sát những lĩnh vực nhạy cảm như đất đai, tài chính, đầu tư công, công tác cán bộ; xử lý nghiêm các vi phạm, không có vùng cấm.",
            "Đồng chí {chair} yêu cầu ủy ban kiểm tra các cấp tăng cường chuyển đổi số, xây dựng cơ sở dữ liệu ngành, nâng cao năng lực đội ngũ cán bộ kiểm tra đáp ứng yêu cầu trong giai đoạn mới.",
        ],
        "close": [
            "Dịp này, Ban Thường vụ Tỉnh ủy {p} tặng Bằng khen cho các tập thể, cá nhân có thành tích xuất sắc trong công tác kiểm tra, giám sát năm {y}.",
            "Hội nghị đã thảo luận, thống nhất các giải pháp trọng tâm để thực hiện thắng lợi nhiệm vụ kiểm tra, giám sát năm {y1}.",
        ],
    },
    "wire": {
        "open": [
            "TTXVN - Chiều {d}/{m}, tại thành phố tỉnh lỵ, Tỉnh ủy {p} tổng kết một năm thực hiện nhiệm vụ kiểm tra, giám sát, kỷ luật đảng và đề ra phương hướng cho năm {y1}.",
            "Năm {y}, ngành kiểm tra Đảng tỉnh {p} đã hoàn thành toàn diện các nhiệm vụ được giao, góp phần giữ vững kỷ cương trong Đảng bộ, theo thông tin tại hội nghị tổng kết diễn ra ngày {d}/{m}.",
        ],
        "attend": [
            "Chủ trì hội nghị là ông {chair}, Phó Bí thư Thường trực Tỉnh ủy; cùng dự có ông {guest} đại diện Ủy ban Kiểm tra Trung ương.",
            "Có mặt tại hội nghị, bà {insp}, Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy trình bày báo cáo tổng hợp kết quả một năm của toàn ngành.",
        ],
        "results": [
            "Số liệu được công bố cho thấy trong năm toàn Đảng bộ đã tiến hành {cuoc} cuộc kiểm tra, giám sát cấp tỉnh; {kt_tc} tổ chức đảng cùng {kt_dv} đảng viên được kiểm tra, còn {gs_tc} tổ chức và {gs_dv} đảng viên được giám sát.",
            "Đáng chú ý, {kl_dv} đảng viên và {kl_tc} tổ chức đảng đã bị thi hành kỷ luật, phần lớn do vi phạm nguyên tắc tập trung dân chủ, quy chế làm việc và quản lý tài chính, đất đai.",
            "Riêng với các trường hợp có dấu hiệu vi phạm, ngành kiểm tra địa phương đã xem xét {dh_tc} tổ chức đảng, {dh_dv} đảng viên; tiếp nhận và xử lý {to_cao} vụ việc tố cáo.",
        ],
        "limits": [
            "Dù vậy, báo cáo thừa nhận ở không ít nơi việc tự kiểm tra còn hình thức, phát hiện vi phạm chủ yếu qua đơn thư và thanh tra, kiểm toán chứ chưa từ chính hoạt động giám sát thường xuyên.",
            "Một số ý kiến tại hội nghị cho rằng cơ sở dữ liệu phục vụ giám sát còn phân tán, biên chế cán bộ kiểm tra cấp huyện còn mỏng so với khối lượng công việc.",
        ],
        "tasks": [
            "Ông {chair} nhấn mạnh, năm {y1} cần tập trung giám sát việc thực hiện nghị quyết đại hội, công tác chuẩn bị nhân sự và những địa bàn, lĩnh vực dư luận quan tâm, kiên quyết xử lý sai phạm.",
            "Theo ông {chair}, cần sớm hoàn thiện quy trình giám sát trên dữ liệu số và gắn trách nhiệm người đứng đầu với kết quả khắc phục sau kiểm tra.",
        ],
        "close": [
            "Hội nghị cũng biểu dương nhiều tập thể và cá nhân có đóng góp nổi bật cho công tác kiểm tra của tỉnh trong năm qua.",
            "Kết thúc hội nghị, các đại biểu thống nhất ký giao ước thi đua năm {y1} giữa ủy ban kiểm tra các cấp.",
        ],
    },
    "radio": {
        "open": [
            "Hôm nay ({d}/{m}), Ủy ban Kiểm tra Tỉnh ủy {p} phối hợp tổ chức hội nghị đánh giá kết quả công tác kiểm tra, giám sát năm {y} với sự tham gia của hơn 200 đại biểu.",
            "Năm {y} khép lại với nhiều dấu ấn của ngành kiểm tra Đảng {p}; tại hội nghị tổng kết ngày {d}/{m}, lãnh đạo tỉnh đánh giá cao sự chủ động của các cấp ủy.",
        ],
        "attend": [
            "Đồng chí {chair} dự và phát biểu; đồng chí {insp} điều hành phần thảo luận cùng đại diện các đảng bộ trực thuộc.",
            "Về phía Trung ương có đồng chí {guest}; về phía tỉnh có các đồng chí lãnh đạo chủ chốt và bí thư các huyện ủy, thành ủy.",
        ],
        "results": [
            "Cả năm, các cấp ủy ở {p} kiểm tra {kt_dv} đảng viên, giám sát {gs_dv} đảng viên; qua đó kỷ luật {kl_dv} người, trong đó có nhiều cấp ủy viên.",
            "Ủy ban kiểm tra các cấp hoàn thành {cuoc} cuộc theo chương trình, xem xét {dh_dv} đảng viên có dấu hiệu vi phạm và giải quyết dứt điểm {to_cao} đơn thư.",
        ],
        "limits": [
            "Tuy nhiên, hội nghị nhận định chất lượng giám sát thường xuyên ở một số chi bộ chưa cao, còn tình trạng nể nang, né tránh khi phát hiện sai phạm.",
            "Những hạn chế được nêu gồm phối hợp giữa các cơ quan chưa nhịp nhàng và việc công khai kết quả kiểm tra chưa kịp thời.",
        ],
        "tasks": [
            "Chỉ đạo nhiệm vụ năm {y1}, đồng chí {chair} lưu ý phải bám sát cơ sở, phát hiện sớm từ xa, xử lý dứt điểm các vụ việc phức tạp, kéo dài.",
            "Đồng chí {chair} đề nghị mỗi cán bộ kiểm tra phải thật sự liêm chính, bản lĩnh, không để bị chi phối trong thực thi nhiệm vụ.",
        ],
        "close": [
            "Nhân dịp này, nhiều tập thể, cá nhân đã được khen thưởng vì thành tích xuất sắc.",
            "Hội nghị kết thúc trong không khí phấn khởi, quyết tâm hoàn thành tốt nhiệm vụ năm tới.",
        ],
    },
}

# Formula sentences from the seed reports: every style draws a few.
FORMULA = [
    "Năm {y}, cấp ủy, tổ chức đảng, UBKT các cấp đã nghiêm túc triển khai, tổ chức tốt việc học tập, nghiên cứu, quán triệt các Nghị quyết, Chỉ thị, Kết luận của Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư về công tác kiểm tra, giám sát và kỷ luật của Đảng.",
    "Cấp ủy, tổ chức đảng và UBKT các cấp cần nâng cao hơn nữa nhận thức và trách nhiệm đối với công tác kiểm tra, giám sát, nhất là người đứng đầu.",
    "Kết quả công tác kiểm tra, giám sát đã góp phần nâng cao hiệu quả trong phòng ngừa, chấn chỉnh, sửa chữa các khuyết điểm, vi phạm nhằm giữ vững kỷ luật, kỷ cương trong Đảng.",
    "Đồng thời, góp phần phòng, chống tham nhũng, tiêu cực; ngăn ngừa các biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, biểu hiện tự diễn biến, tự chuyển hóa.",
    "Công tác kiểm tra, giám sát tiếp tục chuyển trọng tâm sang cảnh báo, phòng ngừa từ sớm, từ xa, thực hiện xuyên suốt, đồng bộ từ tỉnh đến cơ sở.",
    "Cấp ủy, UBKT các cấp đã kịp thời sửa đổi, bổ sung và ban hành chương trình kiểm tra, giám sát năm {y} bảo đảm có trọng tâm, trọng điểm.",
    "Nội dung vi phạm chủ yếu về việc chấp hành nguyên tắc tập trung dân chủ, quy chế làm việc; vi phạm những điều đảng viên không được làm và trách nhiệm nêu gương.",
    "Chú trọng công tác quy hoạch, đào tạo, bồi dưỡng đội ngũ cán bộ kiểm tra bảo đảm đủ về số lượng, đáp ứng yêu cầu nhiệm vụ trong tình hình mới.",
    "Tăng cường công tác phối hợp giữa UBKT các cấp với cơ quan chức năng trong xem xét, giải quyết các vụ việc có liên quan đến tổ chức đảng và đảng viên.",
    "Tiếp tục tăng cường sự lãnh đạo, chỉ đạo của cấp ủy đối với công tác kiểm tra, giám sát và thi hành kỷ luật đảng theo quy định của Điều lệ Đảng.",
]

LOCAL = [
    "Tại điểm cầu Tỉnh ủy {p}, đồng chí {insp}, Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy cùng lãnh đạo các huyện ủy, thị ủy, thành ủy dự hội nghị.",
    "Tại điểm cầu tỉnh {p}, các đồng chí lãnh đạo Ủy ban Kiểm tra Tỉnh ủy, cán bộ cơ quan Ủy ban Kiểm tra và đại diện các đảng ủy trực thuộc theo dõi hội nghị.",
]
LEADS = [
    "Hội nghị nhằm đánh giá toàn diện kết quả một năm và bàn giải pháp cho năm {y1}, với trọng tâm là giám sát thường xuyên và xử lý dứt điểm vi phạm.",
    "Với nhiều kết quả nổi bật trong năm {y}, ngành kiểm tra Đảng tiếp tục khẳng định vai trò trong xây dựng Đảng trong sạch, vững mạnh.",
    "Một năm qua, nhiều vụ việc phức tạp được xem xét, kết luận rõ ràng, tạo niềm tin trong cán bộ, đảng viên và nhân dân.",
]


def _fill(t: str, ev: Event) -> str:
    return t.format(**ev.slots())


def write_account(ev: Event, style: str, rng: random.Random, n_formula: int = 3) -> str:
    """One outlet's own account of the event: each section picks template variants."""
    bank = STYLES[style]
    paras = []
    for sec in ("open", "attend", "results", "limits", "tasks", "close"):
        k = 1 if sec in ("open", "close") else rng.randint(1, len(bank[sec]))
        for t in rng.sample(bank[sec], k):
            paras.append(_fill(t, ev))
        if sec == "results":
            for t in rng.sample(FORMULA, n_formula):
                paras.append(_fill(t, ev))
    return "\n".join(paras)


# ---------------------------------------------------------------- mutations (near copies)
_TYPOS = [("kiểm tra", "kiểm  tra"), ("Ủy ban", "Uỷ ban"), ("tổ chức", "tổ chúc"), ("đảng viên", "Đảng viên"),
          ("hội nghị", "hội nghi"), ("năm", "nam")]


def _sentences(par: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;!?])\s+", par) if s]


def mutate(text: str, rng: random.Random, kinds: list[str], ev: Event | None = None) -> str:
    """Apply near-copy edits: 'lead' rewrites the first paragraph, 'local' adds a
    provincial-bridge paragraph, 'drop' removes one sentence, 'ttxvn' adds a credit
    line, 'typo' fixes/introduces small typos, 'wrap' merges two paragraphs."""
    ev = ev or Event("x", rng.choice(PROVINCES), 2023, 27, 12, chair=person(rng), inspector=person(rng), guest=person(rng))
    paras = [p for p in text.split("\n") if p.strip()]
    for kind in kinds:
        if kind == "lead":
            paras[0] = _fill(rng.choice(LEADS), ev) + " " + (_sentences(paras[0])[-1] if len(_sentences(paras[0])) > 1 else "")
        elif kind == "local":
            paras.insert(min(2, len(paras)), _fill(rng.choice(LOCAL), ev))
        elif kind == "drop":
            cand = [(i, s) for i, p in enumerate(paras) for s in _sentences(p) if i > 0]
            if cand:
                i, s = rng.choice(cand)
                paras[i] = paras[i].replace(s, "").strip() or paras[i]
        elif kind == "ttxvn":
            paras = ["Theo TTXVN"] + paras if rng.random() < 0.5 else paras + ["(Theo TTXVN)"]
        elif kind == "typo":
            body = "\n".join(paras)
            for a, b in rng.sample(_TYPOS, 3):
                body = body.replace(a, b, 1)
            paras = body.split("\n")
        elif kind == "wrap" and len(paras) > 2:
            i = rng.randrange(len(paras) - 1)
            paras[i:i + 2] = [paras[i] + " " + paras[i + 1]]
    return "\n".join(p for p in paras if p.strip())


# ---------------------------------------------------------------- scale corpus
def _vocab(seed_texts: list[str] | None) -> list[str]:
    words = set()
    for t in seed_texts or []:
        words.update(w.lower() for w in re.findall(r"[^\W\d_]+", t))
    for bank in STYLES.values():
        for sec in bank.values():
            for t in sec:
                words.update(w.lower() for w in re.findall(r"[^\W\d_]+", re.sub(r"\{\w+\}", "", t)))
    return sorted(words)


class ScaleCorpus:
    """Yields (id, text, published, origin, truth_group) — ~dup_rate are copies."""

    def __init__(self, n: int, seed: int = 7, dup_rate: float = 0.10, seed_texts: list[str] | None = None):
        self.n, self.seed, self.dup_rate = n, seed, dup_rate
        self.vocab = _vocab(seed_texts)

    def _sentence(self, rng: random.Random) -> str:
        k = rng.randint(12, 32)
        words = rng.choices(self.vocab, k=k)
        if rng.random() < 0.4:
            words.insert(rng.randrange(k), str(rng.randint(2, 9999)))
        words[0] = words[0].capitalize()
        return " ".join(words) + "."

    def __iter__(self):
        rng = random.Random(self.seed)
        originals: list[tuple[int, str]] = []
        for i in range(self.n):
            if originals and rng.random() < self.dup_rate:
                src_id, src = originals[rng.randrange(len(originals))]
                if rng.random() < 0.3:
                    text = src
                else:
                    kinds = rng.sample(["lead", "local", "drop", "ttxvn", "typo", "wrap"], rng.randint(1, 3))
                    text = mutate(src, rng, kinds)
                yield i, text, f"2024-01-{1 + i % 28:02d}T10:00:00+07:00", "TTXVN", src_id
                continue
            ev = Event.random(rng, f"e{i}")
            paras = []
            for _ in range(rng.randint(6, 14)):
                if rng.random() < 0.35:
                    paras.append(_fill(rng.choice(FORMULA), ev))
                else:
                    paras.append(" ".join(self._sentence(rng) for _ in range(rng.randint(2, 4))))
            text = "\n".join(paras)
            if len(originals) < 2000:
                originals.append((i, text))
            else:
                originals[rng.randrange(len(originals))] = (i, text)
            yield i, text, f"2024-01-{1 + i % 28:02d}T09:00:00+07:00", None, i

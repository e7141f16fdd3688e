"""The household record's fields, declared once (docs/record-format.md).

Each field of the record has its path, type, vocabulary (with Vietnamese and English labels),
its own labels and help, and the facts validation checks (required, bounds, the members it
applies to). Everything that reads, writes, validates or asks for a record derives from these
declarations: the validators (``household.py``, ``table_checks.py``), the flat tables
(``tables.py``), the CLI formats (``formats.py``) and the XLSForm (``xlsform.py``); in the web
layer, the labels of the household form and its history (``households/models.py``,
``field_label``), the workbook's columns for import and export (``exchange/columns.py``) and
the API's types (``api/api.py``, ``declared``), through :data:`HOUSEHOLD_FIELDS`,
:data:`MEMBER_FIELDS`, :func:`field`, :data:`VOCABULARIES`.

No Polars and no Django here: :mod:`giamngheo.tables` maps the kinds to column types.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache, cached_property
from typing import Literal

Text = dict[str, str]  # {"vi": ..., "en": ...}
Kind = Literal["string", "date", "enum", "enum_list", "bool", "integer", "number"]
Group = Literal["household", "income", "dwelling", "information", "member"]

MAX_AGE = 120
MAX_AMOUNT = 10**15  # far above any real income, and within the engines' 64-bit integers
NUTRITION_AGE_LIMIT = 16


@dataclass(frozen=True)
class Vocabulary:
    """The allowed codes of an enumeration, in order, with their labels."""

    name: str
    labels: dict[str, Text]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def label(self, code: str, lang: str) -> str:
        return self.labels.get(code, {}).get(lang, code)


def _vocabulary(name: str, **labels: tuple[str, str]) -> Vocabulary:
    return Vocabulary(name, {code: {"vi": vi, "en": en} for code, (vi, en) in labels.items()})


AREA = _vocabulary("area", rural=("nông thôn", "rural"), urban=("thành thị", "urban"))
DURABILITY = _vocabulary("durability", durable=("bền chắc", "durable"),
                         non_durable=("không bền chắc", "non-durable"))
STRUCTURE = _vocabulary("structure", walls=("tường", "walls"), frame=("khung", "frame"),
                        roof=("mái", "roof"))
WATER_SOURCE = _vocabulary(
    "water_source",
    piped=("nước máy", "piped water"),
    drilled_well=("giếng khoan", "drilled well"),
    protected_dug_well=("giếng đào được bảo vệ", "protected dug well"),
    unprotected_dug_well=("giếng đào không được bảo vệ", "unprotected dug well"),
    protected_spring=("nước khe/mó được bảo vệ", "protected spring"),
    unprotected_spring=("nước khe/mó không được bảo vệ", "unprotected spring"),
    rainwater=("nước mưa", "rainwater"),
    bottled=("nước đóng bình/mua", "bottled or purchased water"),
    surface_water=("nước sông, suối, ao, hồ", "surface water"),
    other=("khác", "other"))
LATRINE = _vocabulary(
    "latrine",
    septic=("tự hoại", "septic tank"),
    semi_septic=("bán tự hoại", "semi-septic tank"),
    double_vault=("hai ngăn", "double vault"),
    ventilated_pit=("chìm có ống thông hơi", "ventilated pit"),
    biogas=("biogas", "biogas"),
    pit_no_slab=("hố xí không có sàn", "pit without slab"),
    bucket=("thùng/xô", "bucket"),
    open_or_none=("không có, đi tiêu lộ thiên", "none or open defecation"),
    other=("khác", "other"))
WASTE_DISPOSAL = _vocabulary(
    "waste_disposal",
    collected=("được thu gom (dịch vụ thu gom rác)", "collected by a waste service"),
    treated_onsite=("tự xử lý tại nhà (ủ phân, chôn trong hố riêng)",
                    "treated on site (composted or buried in own pit)"),
    burned_open=("đốt lộ thiên", "burned in the open"),
    dumped=("vứt ra đất trống, sông, suối", "dumped on open land or into water"),
    other=("khác", "other"))
DEVICE = _vocabulary(
    "device",
    tv=("tivi", "TV"),
    radio=("radio", "radio"),
    desktop_computer=("máy tính để bàn", "desktop computer"),
    laptop=("máy tính xách tay", "laptop"),
    tablet=("máy tính bảng", "tablet"),
    smartphone=("điện thoại thông minh", "smartphone"),
    feature_phone=("điện thoại thường", "feature phone"))
RELATION = _vocabulary(
    "relation", head=("chủ hộ", "head"), spouse=("vợ/chồng", "spouse"), child=("con", "child"),
    parent=("cha/mẹ", "parent"), grandchild=("cháu", "grandchild"),
    sibling=("anh/chị/em", "sibling"), other=("khác", "other"))
SEX = _vocabulary("sex", male=("nam", "male"), female=("nữ", "female"))
EMPLOYMENT = _vocabulary(
    "employment",
    wage_contract=("làm công, có hợp đồng lao động", "wage work with a contract"),
    wage_no_contract=("làm công, không có hợp đồng lao động", "wage work without a contract"),
    self_employed=("tự làm (nông nghiệp, buôn bán...)", "self-employed"),
    unemployed=("thất nghiệp", "unemployed"),
    student=("đi học", "student"),
    not_in_labour_force=("không tham gia lao động", "not in the labour force"))
EDUCATION = _vocabulary(
    "education",
    none=("chưa đi học xong tiểu học", "none"),
    primary=("tiểu học", "primary"),
    lower_secondary=("THCS", "lower secondary"),
    upper_secondary=("THPT", "upper secondary"),
    vocational_elementary=("sơ cấp nghề", "elementary vocational"),
    vocational_intermediate=("trung cấp", "intermediate vocational"),
    college=("cao đẳng", "college"),
    university=("đại học trở lên", "university"))
SCHOOL_LEVEL = _vocabulary(
    "school_level",
    preschool=("mầm non", "preschool"),
    primary=("tiểu học", "primary"),
    lower_secondary=("THCS", "lower secondary"),
    upper_secondary=("THPT", "upper secondary"),
    vocational=("trường nghề", "vocational school"),
    higher=("cao đẳng, đại học", "higher education"))
DISABILITY = _vocabulary(
    "disability", none=("không khuyết tật", "no disability"),
    mild=("khuyết tật nhẹ", "mild disability"), severe=("khuyết tật nặng", "severe disability"),
    very_severe=("khuyết tật đặc biệt nặng", "very severe disability"))

VOCABULARIES: dict[str, Vocabulary] = {v.name: v for v in (
    AREA, DURABILITY, STRUCTURE, WATER_SOURCE, LATRINE, WASTE_DISPOSAL, DEVICE, RELATION, SEX,
    EMPLOYMENT, EDUCATION, SCHOOL_LEVEL, DISABILITY)}


@dataclass(frozen=True)
class Field:
    """One field of the record.

    ``path`` is the field's place in the record: ``area``, ``dwelling.walls``,
    ``members.sex`` (a field of each member). ``column`` is its column in the flat tables.
    """

    path: str
    kind: Kind
    label: Text
    help: Text = dataclass_field(default_factory=dict)
    vocabulary: Vocabulary | None = None
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    question: Text | None = None  # how a questionnaire asks it, when not its label
    flag: bool = False  # an exception flag: absent means "no"
    only_if_true: str | None = None  # given only when this member flag is true
    under_age: int | None = None  # given only for members younger than this
    usual_maximum: int | None = None  # a questionnaire asks for a second look above it
    only_when_used: bool = False  # asked only where a standard in use reads it

    @cached_property
    def group(self) -> Group:
        if "." not in self.path:
            return "household"
        head = self.path.split(".", 1)[0]
        return "member" if head == "members" else head  # type: ignore[return-value]

    @cached_property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @cached_property
    def column(self) -> str:
        if self.group in ("household", "member"):
            return self.name
        return f"{self.group}_{self.name}"

    @property
    def codes(self) -> tuple[str, ...]:
        return self.vocabulary.codes if self.vocabulary else ()

    def asks(self, lang: str) -> str:
        return (self.question or self.label)[lang]


def _f(path: str, kind: Kind, vi: str, en: str, **facts: object) -> Field:
    return Field(path, kind, {"vi": vi, "en": en}, **facts)  # type: ignore[arg-type]


def _help(vi: str, en: str) -> Text:
    return {"vi": vi, "en": en}


HOUSEHOLD_FIELDS: tuple[Field, ...] = (
    _f("id", "string", "Mã hộ", "Household code", required=True,
       help=_help("duy nhất trong tệp", "unique within a file")),
    _f("reference_date", "date", "Ngày rà soát", "Review date", required=True,
       help=_help("tuổi và chuẩn áp dụng được tính tại ngày này",
                  "ages and the standard in force are taken at this date")),
    _f("area", "enum", "Khu vực", "Area", vocabulary=AREA, required=True,
       help=_help("nông thôn (xã) hoặc thành thị (phường, thị trấn)",
                  "rural (xã) or urban (phường, thị trấn)")),
    _f("province_code", "string", "Mã tỉnh (GSO)", "Province code (GSO)",
       help=_help("75 là Đồng Nai: chuẩn của tỉnh được xét thêm",
                  "75 (Đồng Nai) lets the provincial standard be evaluated")),
    _f("commune_code", "string", "Mã xã (GSO)", "Commune code (GSO)"),
    _f("income.monthly_per_capita", "integer", "Thu nhập bình quân người/tháng (đồng)",
       "Income per person per month (VND)", minimum=0, maximum=MAX_AMOUNT),
    _f("income.annual_total", "integer", "Tổng thu nhập 12 tháng của hộ (đồng)",
       "Household income of the last 12 months (VND)", minimum=0, maximum=MAX_AMOUNT),
    _f("income.b1_score", "number", "Điểm B1", "B1 score", minimum=0, maximum=MAX_AMOUNT,
       help=_help("tổng điểm phiếu B1", "total of the B1 form")),
    _f("dwelling.walls", "enum", "Tường nhà", "Walls", vocabulary=DURABILITY),
    _f("dwelling.frame", "enum", "Khung nhà", "Frame", vocabulary=DURABILITY),
    _f("dwelling.roof", "enum", "Mái nhà", "Roof", vocabulary=DURABILITY),
    _f("dwelling.floor_area_m2", "number", "Diện tích nhà ở (m²)", "Floor area (m²)",
       minimum=0, maximum=MAX_AMOUNT, usual_maximum=10_000,
       help=_help("tổng diện tích hộ sử dụng", "total floor area used by the household")),
    _f("dwelling.water_source", "enum", "Nguồn nước sinh hoạt", "Main water source",
       vocabulary=WATER_SOURCE, question={"vi": "Nguồn nước sinh hoạt chính",
                                          "en": "Main water source"}),
    _f("dwelling.latrine", "enum", "Nhà tiêu", "Latrine", vocabulary=LATRINE,
       question={"vi": "Loại nhà tiêu", "en": "Latrine"}),
    _f("dwelling.waste_disposal", "enum", "Xử lý rác thải sinh hoạt", "Household waste disposal",
       vocabulary=WASTE_DISPOSAL, only_when_used=True,
       question={"vi": "Rác thải sinh hoạt của hộ được xử lý thế nào?",
                 "en": "How is the household's waste disposed of?"},
       help=_help("để trống: chưa ghi nhận (chỉ số rác thải chưa xác định)",
                  "empty: not recorded (the waste indicator is unknown)")),
    _f("information.uses_internet", "bool", "Có thành viên sử dụng internet",
       "A member uses the internet",
       question={"vi": "Có thành viên sử dụng internet?", "en": "Does a member use the internet?"},
       help=_help("dữ liệu di động hoặc internet cố định", "mobile data or fixed")),
    _f("information.devices", "enum_list", "Thiết bị tiếp cận thông tin", "Information devices",
       vocabulary=DEVICE, question={"vi": "Thiết bị tiếp cận thông tin của hộ",
                                    "en": "Information devices of the household"}),
)

MEMBER_FIELDS: tuple[Field, ...] = (
    _f("members.id", "string", "Mã thành viên", "Member id", required=True,
       help=_help("duy nhất trong hộ", "unique in the household")),
    _f("members.relation", "enum", "Quan hệ với chủ hộ", "Relation to the head",
       vocabulary=RELATION, required=True, help=_help("đúng một chủ hộ", "exactly one head")),
    _f("members.birth_date", "date", "Ngày sinh", "Date of birth", required=True),
    _f("members.sex", "enum", "Giới tính", "Sex", vocabulary=SEX, required=True),
    _f("members.employment", "enum", "Việc làm", "Employment", vocabulary=EMPLOYMENT),
    _f("members.health_insurance", "bool", "Có thẻ BHYT", "Has health insurance",
       question={"vi": "Có thẻ BHYT?", "en": "Has health insurance?"}),
    _f("members.education", "enum", "Trình độ học vấn cao nhất", "Highest education completed",
       vocabulary=EDUCATION),
    _f("members.in_education", "bool", "Đang đi học", "In school or training now",
       question={"vi": "Đang đi học?", "en": "In school or training now?"}),
    _f("members.school_level", "enum", "Cấp học đang học", "School level",
       vocabulary=SCHOOL_LEVEL, only_if_true="in_education"),
    _f("members.disability", "enum", "Khuyết tật", "Disability", vocabulary=DISABILITY),
    _f("members.unable_to_work", "bool", "Không có khả năng lao động", "Unable to work",
       question={"vi": "Không có khả năng lao động (ốm đau dài ngày...)?",
                 "en": "Unable to work (long illness...)?"},
       help=_help("vì ốm đau dài ngày hoặc lý do khác (không phải tuổi, khuyết tật)",
                  "long illness or another cause (not age, not disability)")),
    _f("members.social_allowance", "bool", "Hưởng trợ cấp xã hội hằng tháng",
       "Receives a monthly social allowance", flag=True,
       question={"vi": "Hưởng trợ cấp xã hội hằng tháng?",
                 "en": "Receives a monthly social allowance?"}),
    _f("members.workplace_trained", "bool", "Có chứng chỉ đào tạo tại nơi làm việc",
       "Certified on-the-job training", flag=True,
       question={"vi": "Có chứng chỉ đào tạo tại nơi làm việc?",
                 "en": "Certified on-the-job training?"}),
    _f("members.stunted", "bool", "Trẻ thấp còi", "Stunted", under_age=NUTRITION_AGE_LIMIT,
       question={"vi": "Trẻ thấp còi?", "en": "Stunted?"}),
    _f("members.underweight", "bool", "Trẻ nhẹ cân", "Underweight",
       under_age=NUTRITION_AGE_LIMIT, question={"vi": "Trẻ nhẹ cân?", "en": "Underweight?"}),
    _f("members.ethnicity", "string", "Dân tộc", "Ethnic group"),
)

FIELDS: dict[str, Field] = {f.path: f for f in (*HOUSEHOLD_FIELDS, *MEMBER_FIELDS)}

# The record's objects: the keys each may hold besides its declared fields' names.
INCOME_KINDS = ("monthly_per_capita", "annual_total", "b1_score", "b1_items")
TOP_LEVEL = ("id", "reference_date", "area", "province_code", "commune_code", "income",
             "dwelling", "information", "members", "extra")
DWELLING_PRESENCE = _f("dwelling", "bool", "Có nhà ở", "Has a dwelling",
                       question={"vi": "Hộ có nhà ở không?",
                                 "en": "Does the household have a dwelling?"},
                       help=_help("không: hộ không có nhà ở", "no: the household has no dwelling"))


def field(path: str) -> Field:
    """The declaration of ``path`` (``dwelling.walls``, ``members.sex``)."""
    return FIELDS[path]


@cache
def fields_of(group: Group) -> tuple[Field, ...]:
    return tuple(f for f in FIELDS.values() if f.group == group)


@cache
def keys_of(group: Group) -> tuple[str, ...]:
    """The keys an object of ``group`` may hold."""
    if group == "household":
        return TOP_LEVEL
    if group == "income":
        return INCOME_KINDS
    return tuple(f.name for f in fields_of(group))

"""Vietnamese-first message catalogue of the core library (no Django here).

Templates use ``str.format`` fields. The batch engine renders the same templates with Polars
expressions (``engine/exprs.py``), so every text exists once. Each indicator rule brings its
own reason texts (``engine/rules/<rule>.py``), added here when the rule is registered; the
labels of the record's values come from its declarations (``record.py``).
"""

from __future__ import annotations

import math

from . import record

LANGUAGES = ("vi", "en")
DEFAULT_LANG = "vi"

MESSAGES: dict[str, dict[str, str]] = {
    # --- validation -------------------------------------------------------------------------
    "unknown_field": {"vi": "trường không có trong định dạng (đặt dưới \"extra\" nếu cần giữ)",
                      "en": "unknown field (put it under \"extra\" to keep it)"},
    "required": {"vi": "bắt buộc phải có", "en": "is required"},
    "not_string": {"vi": "phải là chuỗi ký tự", "en": "must be a string"},
    "empty_string": {"vi": "không được để trống", "en": "must not be empty"},
    "not_integer": {"vi": "phải là số nguyên", "en": "must be an integer"},
    "not_number": {"vi": "phải là số", "en": "must be a number"},
    "not_bool": {"vi": "phải là true hoặc false", "en": "must be true or false"},
    "not_object": {"vi": "phải là một đối tượng JSON", "en": "must be an object"},
    "not_object_or_null": {"vi": "phải là một đối tượng JSON hoặc null",
                           "en": "must be an object or null"},
    "not_list": {"vi": "phải là một danh sách", "en": "must be a list"},
    "not_in_list": {"vi": "giá trị {value} không hợp lệ; chấp nhận: {allowed}",
                    "en": "{value} is not one of: {allowed}"},
    "bad_date": {"vi": "phải là ngày hợp lệ dạng YYYY-MM-DD",
                 "en": "must be a valid date YYYY-MM-DD"},
    "negative": {"vi": "không được âm", "en": "must not be negative"},
    "too_large": {"vi": "lớn quá mức cho phép ({max})", "en": "is larger than {max}"},
    "no_members": {"vi": "hộ phải có ít nhất một thành viên",
                   "en": "the household must have at least one member"},
    "head_count": {"vi": "hộ phải có đúng một chủ hộ (relation = head), đang có {count}",
                   "en": "exactly one member must be the head (relation = head), found {count}"},
    "duplicate_member": {"vi": "mã thành viên {value} bị trùng",
                         "en": "member id {value} is used twice"},
    "birth_after_reference": {"vi": "sau ngày rà soát (reference_date)",
                              "en": "after reference_date"},
    "age_over_max": {"vi": "tuổi {age} lớn hơn {max}", "en": "age {age} is over {max}"},
    "nutrition_adult": {"vi": "chỉ ghi cho trẻ dưới {limit} tuổi (thành viên này {age} tuổi)",
                        "en": "only for members under {limit} (this member is {age})"},
    "only_if_true": {"vi": "chỉ ghi khi {flag} là true", "en": "only when {flag} is true"},
    "income_one_of": {"vi": "phải có đúng một trong: {allowed}",
                      "en": "must hold exactly one of: {allowed}"},
    "no_scorecard": {"vi": "cần nạp bảng điểm B1 (--scorecard) để tính điểm từ các câu trả lời",
                     "en": "needs a loaded B1 scorecard (--scorecard) to score the answers"},
    "scorecard_no_region": {"vi": "bảng điểm {scorecard} không có vùng cho tỉnh {province}",
                            "en": "scorecard {scorecard} has no region for province {province}"},
    "scorecard_missing_item": {"vi": "thiếu câu trả lời cho mục {item}",
                               "en": "no answer for item {item}"},
    "orphan_member": {"vi": "có thành viên thuộc hộ không có trong bảng hộ",
                      "en": "members of a household that is not in the households table"},
    "duplicate_id": {"vi": "trùng với hồ sơ thứ {index} trong tệp",
                     "en": "same id as record {index} of the file"},
    "no_national_standard": {"vi": "không có chuẩn nghèo quốc gia áp dụng cho ngày {date}",
                             "en": "no national standard is in force on {date}"},
    "standard_not_in_force": {"vi": "chuẩn {standard} không áp dụng cho ngày {date}",
                              "en": "standard {standard} is not in force on {date}"},
    "standard_not_for_province": {"vi": "chuẩn {standard} chỉ áp dụng cho tỉnh {province}",
                                  "en": "standard {standard} applies to province {province} only"},
    # --- reasons ----------------------------------------------------------------------------
    "member": {"vi": "Thành viên {member} ({age} tuổi)", "en": "member {member} (aged {age})"},
    "no_dwelling": {"vi": "hộ không có nhà ở", "en": "the household has no dwelling"},
    "unknown_indicator": {"vi": "thiếu dữ liệu, chưa xác định được",
                          "en": "not enough data to decide"},
    "income.poor": {
        "vi": "thu nhập bình quân {income} đồng/người/tháng, bằng hoặc thấp hơn chuẩn nghèo {area} "
              "{line} đồng",
        "en": "{income} VND/person/month is at or below the {area} line of {line}"},
    "income.average": {
        "vi": "thu nhập bình quân {income} đồng/người/tháng, cao hơn chuẩn nghèo {area} {line} "
              "đồng và không quá mức sống trung bình {upper} đồng",
        "en": "{income} VND/person/month is above the {area} line of {line} and at or below the "
              "average living standard limit of {upper}"},
    "income.above_band": {
        "vi": "thu nhập bình quân {income} đồng/người/tháng, cao hơn mức sống trung bình {area} "
              "{upper} đồng",
        "en": "{income} VND/person/month is above the {area} average living standard limit of "
              "{upper}"},
    "income.no_band": {
        "vi": "thu nhập bình quân {income} đồng/người/tháng, cao hơn chuẩn nghèo {area} {line} "
              "đồng; chuẩn này chưa quy định mức sống trung bình",
        "en": "{income} VND/person/month is above the {area} line of {line}; this standard "
              "defines no average living standard band"},
    "income.score_poor": {
        "vi": "điểm B1 là {score}, bằng hoặc thấp hơn ngưỡng {line} điểm {area}",
        "en": "B1 score of {score} is at or below the {area} score line of {line}"},
    "income.score_above": {"vi": "điểm B1 là {score}, cao hơn ngưỡng {line} điểm {area}",
                           "en": "B1 score of {score} is above the {area} score line of {line}"},
    "income.not_measured": {
        "vi": "chuẩn này không đánh giá thu nhập bằng điểm B1; cần đo thu nhập",
        "en": "income not measured for this standard (it has no B1 score line)"},
    "area.rural": {"vi": "khu vực nông thôn", "en": "rural"},
    "area.urban": {"vi": "khu vực thành thị", "en": "urban"},
    # --- command line -------------------------------------------------------------------------
    "cli.standard": {"vi": "Chuẩn", "en": "Standard"},
    "serve.debug_on": {
        "vi": "GIAMNGHEO_DEBUG phải là 0 (hoặc không đặt) khi chạy thật",
        "en": "GIAMNGHEO_DEBUG must be 0 (or unset) in production"},
    "serve.no_secret_key": {
        "vi": "cần đặt GIAMNGHEO_SECRET_KEY là một chuỗi ngẫu nhiên ít nhất 32 ký tự "
              "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')",
        "en": "GIAMNGHEO_SECRET_KEY must be set to a random string of at least 32 characters "
              "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"},
    "serve.demo_on": {
        "vi": "GIAMNGHEO_DEMO chỉ dành cho bản chạy thử trên máy (http, 127.0.0.1): bỏ đi khi "
              "chạy thật",
        "en": "GIAMNGHEO_DEMO is for the local demo only (http, 127.0.0.1): unset it in "
              "production"},
    "env.demo_debug": {
        "vi": "bản chạy thử (GIAMNGHEO_DEMO) chạy không có chế độ gỡ lỗi: bỏ GIAMNGHEO_DEBUG",
        "en": "the demo (GIAMNGHEO_DEMO) runs without debug mode: unset GIAMNGHEO_DEBUG"},
    "env.not_understood": {
        "vi": "{name}={value!r} không hiểu được; giá trị hợp lệ: {allowed}",
        "en": "{name}={value!r} is not understood; allowed: {allowed}"},
    "cli.unit": {"vi": "Đơn vị tính", "en": "Unit"},
    "cli.income_gate": {"vi": "Có xét thu nhập", "en": "Income gate"},
    "cli.excluded": {"vi": "loại ra (thiếu dữ liệu)", "en": "excluded (incomplete)"},
    "cli.indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "cli.censored": {"vi": "tỷ lệ kiểm duyệt", "en": "censored h"},
    "cli.contribution": {"vi": "đóng góp %", "en": "contribution %"},
    "cli.province": {"vi": "tỉnh", "en": "province"},
    "cli.unverified": {"vi": "chưa xác minh", "en": "unverified"},
    "cli.unverified_mark": {"vi": "[CHƯA XÁC MINH]", "en": "[UNVERIFIED]"},
    "cli.kind": {"vi": "loại", "en": "kind"},
    "cli.in_force": {"vi": "hiệu lực", "en": "in force"},
    "cli.source": {"vi": "nguồn", "en": "source"},
    "cli.legal_basis": {"vi": "căn cứ pháp lý", "en": "legal basis"},
    "cli.legal_text": {"vi": "nội dung", "en": "wording"},
    "cli.file": {"vi": "tệp", "en": "file"},
    "cli.note": {"vi": "ghi chú", "en": "note"},
    "cli.parameters": {"vi": "Tham số", "en": "Parameters"},
    "cli.indicators": {"vi": "Chỉ số thiếu hụt", "en": "Deprivation indicators"},
    "cli.rejected": {"vi": "bị từ chối", "en": "rejected"},
    "cli.batch_done": {"vi": "{count} hộ → {output} ({summary})",
                       "en": "{count} households → {output} ({summary})"},
    "cli.whatif_done": {
        "vi": "{households} hộ: {changed} hộ thay đổi, {undecided} hộ chưa xác định được theo "
              "chuẩn mới, {rejected} hồ sơ bị từ chối",
        "en": "{households} households: {changed} change, {undecided} cannot be decided under "
              "the new standard, {rejected} records rejected"},
    "cli.plan_done": {
        "vi": "{poor} hộ nghèo; {lifted} hộ thoát nghèo (phân loại lại bằng bộ máy); chi phí "
              "{cost} đ, {per} đ/hộ thoát nghèo; phương pháp {method}, khoảng cách tối ưu "
              "{gap}%",
        "en": "{poor} poor households; {lifted} leave poverty (classified again by the engine); "
              "cost {cost} VND, {per} VND a household lifted; method {method}, optimality gap "
              "{gap}%"},
    "cli.plan_rule": {
        "vi": "Cách làm hiện nay (BHYT cho tất cả trước): {lifted} hộ thoát nghèo, {cost} đ",
        "en": "Today's rule (health insurance for all first): {lifted} households lifted, "
              "{cost} VND"},
    "cli.plan_marginal": {
        "vi": "Thêm 1 tỷ đồng cho {source}: thêm {lifted} hộ thoát nghèo",
        "en": "One more billion from {source}: {lifted} more households lifted"},
    "cli.method.sorting": {"vi": "sắp xếp (tối ưu chính xác)", "en": "sorting (exact optimum)"},
    "cli.method.mip": {"vi": "quy hoạch nguyên (HiGHS)", "en": "integer programme (HiGHS)"},
    "cli.one_budget": {"vi": "ngân sách", "en": "the budget"},
    "cli.plan_rejected": {"vi": "{count} hồ sơ bị từ chối (không đưa vào kế hoạch)",
                          "en": "{count} records rejected (left out of the plan)"},
    "plan.no_valid": {"vi": "không có hồ sơ hộ hợp lệ nào trong dữ liệu",
                      "en": "no valid household in the input"},
    "plan.no_standard": {"vi": "{count} hộ không thuộc chuẩn nghèo quốc gia nào; chọn chuẩn "
                               "bằng --standard",
                         "en": "{count} households fall under no national standard; choose "
                               "one with --standard"},
    "plan.several_standards": {"vi": "các hồ sơ thuộc nhiều chuẩn nghèo ({standards}); chọn "
                                     "một chuẩn bằng --standard",
                               "en": "the records fall under several standards ({standards}); "
                                     "choose one with --standard"},
    "plan.bad_budget": {"vi": "ngân sách là số nguyên đồng, từ 0 trở lên",
                        "en": "the budget is a whole number of đồng, 0 or more"},
    "plan.infeasible": {
        "vi": "kinh phí không đủ để đạt số hộ thoát nghèo tối thiểu đã đặt (theo xã hoặc nhóm "
              "ưu tiên): giảm mức tối thiểu hoặc tăng kinh phí",
        "en": "the budgets cannot meet the floors asked (per commune or priority group): lower "
              "them or give more money"},
    "plan.funding": {"vi": "kinh phí cho {kind} không khớp (sai số của bộ giải)",
                     "en": "the funding of {kind} does not add up (solver tolerance)"},
    "plan.objective": {"vi": "mục tiêu phải là một trong: {allowed}",
                       "en": "objective must be one of {allowed}"},
    "plan.no_source": {"vi": "cần ít nhất một nguồn kinh phí",
                       "en": "give at least one budget"},
    "plan.negative_budget": {"vi": "kinh phí của nguồn {source} không được âm",
                             "en": "budget of {source} is negative"},
    "plan.unknown_kinds": {"vi": "nguồn {source}: không có loại hỗ trợ {kinds}",
                           "en": "source {source}: unknown kinds {kinds}"},
    "plan.priority_group": {"vi": "nhóm ưu tiên phải là một trong: {allowed}",
                            "en": "priority group must be one of {allowed}"},
    "plan.priority_values": {"vi": "ưu tiên {group}: hệ số từ 1, số hộ tối thiểu từ 0",
                             "en": "priority {group}: weight at least 1, minimum at least 0"},
    "plan.unreadable": {"vi": "{path}: không đọc được: {error}",
                        "en": "{path}: cannot be read: {error}"},
    "plan.request_shape": {"vi": "{path}: cần sources: {{nguồn: {{budget: đồng}}}}",
                           "en": "{path}: needs sources: {{source: {{budget: đồng}}}}"},
    "plan.request_keys": {"vi": "{path}: khóa không hợp lệ {keys}",
                          "en": "{path}: unknown keys {keys}"},
    "plan.request_budget": {"vi": "sources.{source}.budget: số nguyên đồng, từ 0 trở lên",
                            "en": "sources.{source}.budget: a whole number of đồng, 0 or more"},
    "plan.request_kinds": {"vi": "sources.{source}: cần nêu các loại hỗ trợ nguồn này chi "
                                 "(kinds: [...])",
                           "en": "sources.{source}: say which kinds it pays for (kinds: [...])"},
    "plan.request_limit": {"vi": "communes.{commune}.{field}: số nguyên từ 0 trở lên",
                           "en": "communes.{commune}.{field}: a whole number, 0 or more"},
    "plan.request_priority": {"vi": "priorities[{index}]: cần có group",
                              "en": "priorities[{index}]: needs group"},
    # --- the what-if of a standard, the support plan ---------------------------------------
    # {a} and {b} are the standards' display names ("Chuẩn nghèo đa chiều 2022-2025 (NĐ
    # 07/2021/NĐ-CP)"), never their codes
    "whatif.income_line": {"vi": "chuẩn nghèo thu nhập thay đổi: thu nhập {income} "
                                 "đồng/người/tháng so với chuẩn {line_a} theo {a} và {line_b} "
                                 "theo {b}",
                           "en": "the income line moved: income of {income} VND/person/month "
                                 "against {line_a} under {a} and {line_b} under {b}"},
    "whatif.score_line": {"vi": "{standard} chưa có ngưỡng điểm B1: không đánh giá được thu "
                                "nhập theo điểm B1",
                          "en": "{standard} has no B1 score line: a B1 score cannot be judged"},
    "whatif.average_band": {"vi": "mức sống trung bình được xác định khác: {upper_a} theo {a}, "
                                  "{upper_b} theo {b}",
                            "en": "the average living standard band differs: {upper_a} under "
                                  "{a}, {upper_b} under {b}"},
    "whatif.threshold": {"vi": "số thiếu hụt tối thiểu để là hộ nghèo: {min_a} theo {a} và "
                               "{min_b} theo {b}",
                         "en": "deprivations needed to be poor: {min_a} under {a} and {min_b} "
                               "under {b}"},
    "whatif.labour_capacity": {"vi": "nhóm hộ nghèo đổi do quy định về khả năng lao động",
                               "en": "poor group changed with the rule on labour capacity"},
    "whatif.added": {"vi": 'chỉ số mới "{label}": {value}',
                     "en": 'new indicator "{label}": {value}'},
    "whatif.dropped": {"vi": 'bỏ chỉ số "{label}" (trước: {value})',
                       "en": 'indicator "{label}" dropped (was: {value})'},
    "whatif.redefined": {"vi": 'chỉ số "{label}" định nghĩa lại: {before} → {after}',
                         "en": 'indicator "{label}" redefined: {before} → {after}'},
    "whatif.parameter": {"vi": 'chỉ số "{label}" đổi do tham số {parameters}: {before} → '
                               "{after}",
                         "en": 'indicator "{label}" changed through {parameters}: {before} → '
                               "{after}"},
    "whatif.true": {"vi": "thiếu hụt",
                    "en": "deprived"},
    "whatif.false": {"vi": "không thiếu hụt",
                     "en": "not deprived"},
    "whatif.unknown": {"vi": "chưa rõ",
                       "en": "unknown"},
    "whatif.undefined": {"vi": "không xác định",
                         "en": "not defined"},
    "whatif.ask_members": {"vi": "{question} (thành viên {members})",
                           "en": "{question} (members {members})"},
    "parameter.income_line": {"vi": "chuẩn nghèo thu nhập",
                              "en": "income line"},
    "parameter.average_upper": {"vi": "mức sống trung bình",
                                "en": "average living standard band"},
    "parameter.score_line": {"vi": "ngưỡng điểm B1",
                             "en": "B1 score line"},
    "parameter.poor_min_deprivations": {"vi": "số thiếu hụt tối thiểu",
                                        "en": "deprivations needed"},
    "parameter.working_age_from": {"vi": "tuổi lao động",
                                   "en": "working age"},
    "parameter.retirement_age": {"vi": "tuổi nghỉ hưu",
                                 "en": "retirement age"},
    "parameter.cannot_work": {"vi": "không có khả năng lao động",
                              "en": "unable to work"},
    "parameter.alkire_foster_cutoff": {"vi": "ngưỡng Alkire-Foster",
                                       "en": "Alkire-Foster cut-off"},
    "plan.explain": {"vi": "Hộ {id}: {before} → {after} thiếu hụt nếu có {supports}",
                     "en": "Household {id}: {before} → {after} deprivations with {supports}"},
    "plan.and": {"vi": " và ",
                 "en": " and "},
    "plan.cards": {"vi": "BHYT cho {n} thành viên",
                   "en": "health insurance for {n} members"},
    "plan.cost": {"vi": "{what} ({cost} đ)",
                  "en": "{what} ({cost} VND)"},
    "cli.classifying": {"vi": "Phân loại", "en": "Classifying"},
    "cli.households_unit": {"vi": "hộ", "en": "households"},
    "demo.households": {"vi": "Tạo {count} hộ giả lập tại {communes} xã…",
                        "en": "Creating {count} synthetic households in {communes} communes…"},
    "demo.review_year": {"vi": "Rà soát năm {year}: {communes} xã…",
                         "en": "Review of {year}: {communes} communes…"},
    "demo.program": {"vi": "Kế hoạch: chỉ tiêu, hoạt động, kinh phí, mô hình, hỗ trợ…",
                     "en": "Plan: targets, activities, budget, model, support…"},
    "cell.not_whole_number": {"vi": "\"{value}\" không phải là số nguyên (ví dụ 1.500.000)",
                              "en": "\"{value}\" is not a whole number (e.g. 1,500,000)"},
    "cell.not_number": {"vi": "\"{value}\" không phải là số (ví dụ 18,5)",
                        "en": "\"{value}\" is not a number (e.g. 18.5)"},
    "cell.not_date": {"vi": "\"{value}\" không phải là ngày (dd/mm/yyyy)",
                      "en": "\"{value}\" is not a date (dd/mm/yyyy)"},
    "cell.not_yes_no": {"vi": "\"{value}\": ghi Có hoặc Không",
                        "en": "\"{value}\": write Có (yes) or Không (no)"},
    "cell.not_choice": {"vi": "\"{value}\" không thuộc danh sách: {choices}",
                        "en": "\"{value}\" is not one of: {choices}"},
    "cli.xlsform_done": {"vi": "Đã ghi biểu mẫu XLSForm: {output}",
                         "en": "XLSForm written: {output}"},
    "scale.generating": {"vi": "Tạo hộ giả lập", "en": "Generating synthetic households"},
    "scale.done": {"vi": "Đã thêm {communes} xã giả lập; tổng số hộ: {households}",
                   "en": "{communes} synthetic communes added; households in all: {households}"},
    "cli.scorecard_ok": {
        "vi": "{id}: {items} mục, vùng {regions}; ngưỡng điểm {lines}; hợp lệ",
        "en": "{id}: {items} items, regions {regions}; score lines {lines}; valid"},
}

MISSING_VALUE_LABEL = {"vi": "không rõ", "en": "not recorded"}


def text(key: str, lang: str = DEFAULT_LANG, **fields: object) -> str:
    """The message ``key`` in ``lang`` with its fields filled."""
    return MESSAGES[key][lang].format(**fields)


def add_messages(messages: dict[str, dict[str, str]]) -> None:
    """Add a rule's texts to the catalogue; a key may be defined once only."""
    for key, texts in messages.items():
        if key in MESSAGES and MESSAGES[key] != texts:
            raise ValueError(f"message {key!r} is defined twice")
        if set(texts) != set(LANGUAGES):
            raise ValueError(f"message {key!r} needs exactly the languages {LANGUAGES}")
        MESSAGES[key] = texts


# value → label of the first vocabulary that has it (``field`` names the one to use where a
# value means something else in another field, e.g. "none" of disability)
_LABELS: dict[str, record.Vocabulary] = {}
for _vocabulary in reversed(record.VOCABULARIES.values()):
    _LABELS.update(dict.fromkeys(_vocabulary.codes, _vocabulary))


def vocabulary_of(field: str | None) -> record.Vocabulary | None:
    """The vocabulary named ``field``, or that of the record field of this name."""
    if not field:
        return None
    if field in record.VOCABULARIES:
        return record.VOCABULARIES[field]
    declared = next((f for f in record.FIELDS.values() if f.name == field), None)
    return declared.vocabulary if declared else None


def label(value: str | None, lang: str = DEFAULT_LANG, field: str | None = None) -> str:
    """The readable label of an enumeration value (of ``field`` where it matters)."""
    if value is None:
        return MISSING_VALUE_LABEL[lang]
    vocabulary = vocabulary_of(field)
    if vocabulary is None or value not in vocabulary.labels:
        vocabulary = _LABELS.get(value)
    return vocabulary.label(value, lang) if vocabulary else value


def format_int(value: int, lang: str = DEFAULT_LANG) -> str:
    """1.500.000 in Vietnamese, 1,500,000 in English."""
    grouped = f"{value:,}"
    return grouped.replace(",", ".") if lang == "vi" else grouped


def format_hundredths(hundredths: int, lang: str = DEFAULT_LANG) -> str:
    """A number given in hundredths, with at most two decimals and no trailing zeros."""
    whole, frac = divmod(hundredths, 100)
    sep = "," if lang == "vi" else "."
    if frac == 0:
        return format_int(whole, lang)
    digits = f"{frac:02d}".rstrip("0")
    return f"{format_int(whole, lang)}{sep}{digits}"


def hundredths(value: float) -> int:
    """A non-negative number in hundredths, rounded half up (the batch engine does the same)."""
    return math.floor(value * 100 + 0.5)

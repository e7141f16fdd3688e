"""Vietnamese-first message catalogue of the core library (no Django here).

Templates use ``str.format`` fields. The batch engine renders the same templates with Polars
expressions (see ``engine/render.py``), so every text exists once.
"""

from __future__ import annotations

import math

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
    "school_level_not_in_education": {"vi": "chỉ ghi khi in_education là true",
                                      "en": "only when in_education is true"},
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
    "employment.unemployed": {"vi": "{who}, trong độ tuổi lao động, không có việc làm",
                              "en": "{who}, of working age, is unemployed"},
    "employment.wage_no_contract": {
        "vi": "{who}, trong độ tuổi lao động, làm công ăn lương không có hợp đồng lao động",
        "en": "{who}, of working age, works for wages without a labour contract"},
    "dependants": {"vi": "{dependants}/{members} thành viên là người phụ thuộc, trên {limit}%",
                   "en": "{dependants} of {members} members are dependants, more than {limit}%"},
    "nutrition": {"vi": "{who} bị suy dinh dưỡng ({kind})", "en": "{who} is {kind}"},
    "nutrition.stunted": {"vi": "thấp còi", "en": "stunted"},
    "nutrition.underweight": {"vi": "nhẹ cân", "en": "underweight"},
    "nutrition.both": {"vi": "thấp còi và nhẹ cân", "en": "stunted and underweight"},
    "health_insurance": {"vi": "{who} không có thẻ BHYT", "en": "{who} has no health insurance"},
    "adult_education": {"vi": "{who} không đi học và chưa đạt {required} (hiện: {education})",
                        "en": "{who} is not in education and lacks {required} (has: {education})"},
    "school.absent": {"vi": "{who} không đi học", "en": "{who} does not attend school"},
    "school.lower": {"vi": "{who} đang học {level}, thấp hơn cấp {expected} theo tuổi",
                     "en": "{who} attends {level}, below {expected} expected for the age"},
    "no_dwelling": {"vi": "hộ không có nhà ở", "en": "the household has no dwelling"},
    "housing_quality": {
        "vi": "{count} trong {total} kết cấu chính ({parts}) làm bằng vật liệu không bền chắc",
        "en": "{count} of the {total} main structures ({parts}) are non-durable"},
    "housing_area": {"vi": "diện tích nhà ở bình quân {area} m²/người, dưới {limit} m²",
                     "en": "floor area of {area} m² per person is below {limit} m²"},
    "telecom": {"vi": "không thành viên nào sử dụng dịch vụ internet",
                "en": "no member uses internet services"},
    "information_assets": {"vi": "hộ không có phương tiện tiếp cận thông tin nào ({devices})",
                           "en": "the household has none of the information devices ({devices})"},
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
    "whatif.income_line": {"vi": "chuẩn nghèo thu nhập thay đổi: thu nhập {income} "
                                 "đồng/người/tháng so với chuẩn {line_a} ({a}) và {line_b} "
                                 "({b})",
                           "en": "the income line moved: income of {income} VND/person/month "
                                 "against {line_a} ({a}) and {line_b} ({b})"},
    "whatif.score_line": {"vi": "{standard} chưa có ngưỡng điểm B1: không đánh giá được thu "
                                "nhập theo điểm B1",
                          "en": "{standard} has no B1 score line: a B1 score cannot be judged"},
    "whatif.average_band": {"vi": "mức sống trung bình được xác định khác ({a}: {upper_a}; "
                                  "{b}: {upper_b})",
                            "en": "the average living standard band differs ({a}: {upper_a}; "
                                  "{b}: {upper_b})"},
    "whatif.threshold": {"vi": "số thiếu hụt tối thiểu để là hộ nghèo: {min_a} ({a}) và "
                               "{min_b} ({b})",
                         "en": "deprivations needed to be poor: {min_a} ({a}) and {min_b} ({b})"},
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
    "whatif.ask_field": {"vi": "Ghi {path}",
                         "en": "Record {path}"},
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

# Labels of the contract's enumerations, used inside reasons.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "walls": {"vi": "tường", "en": "walls"},
    "frame": {"vi": "khung", "en": "frame"},
    "roof": {"vi": "mái", "en": "roof"},
    "piped": {"vi": "nước máy", "en": "piped water"},
    "drilled_well": {"vi": "giếng khoan", "en": "drilled well"},
    "protected_dug_well": {"vi": "giếng đào được bảo vệ", "en": "protected dug well"},
    "unprotected_dug_well": {"vi": "giếng đào không được bảo vệ", "en": "unprotected dug well"},
    "protected_spring": {"vi": "nước khe/mó được bảo vệ", "en": "protected spring"},
    "unprotected_spring": {"vi": "nước khe/mó không được bảo vệ", "en": "unprotected spring"},
    "rainwater": {"vi": "nước mưa", "en": "rainwater"},
    "bottled": {"vi": "nước đóng bình/mua", "en": "bottled or purchased water"},
    "surface_water": {"vi": "nước sông, suối, ao, hồ", "en": "surface water"},
    "other": {"vi": "khác", "en": "other"},
    "septic": {"vi": "tự hoại", "en": "septic tank"},
    "semi_septic": {"vi": "bán tự hoại", "en": "semi-septic tank"},
    "double_vault": {"vi": "hai ngăn", "en": "double vault"},
    "ventilated_pit": {"vi": "chìm có ống thông hơi", "en": "ventilated pit"},
    "biogas": {"vi": "biogas", "en": "biogas"},
    "pit_no_slab": {"vi": "hố xí không có sàn", "en": "pit without slab"},
    "bucket": {"vi": "thùng/xô", "en": "bucket"},
    "open_or_none": {"vi": "không có, đi tiêu lộ thiên", "en": "none or open defecation"},
    "tv": {"vi": "tivi", "en": "TV"},
    "radio": {"vi": "radio", "en": "radio"},
    "desktop_computer": {"vi": "máy tính để bàn", "en": "desktop computer"},
    "laptop": {"vi": "máy tính xách tay", "en": "laptop"},
    "tablet": {"vi": "máy tính bảng", "en": "tablet"},
    "smartphone": {"vi": "điện thoại thông minh", "en": "smartphone"},
    "feature_phone": {"vi": "điện thoại thường", "en": "feature phone"},
    "none": {"vi": "chưa đi học xong tiểu học", "en": "none"},
    "primary": {"vi": "tiểu học", "en": "primary"},
    "lower_secondary": {"vi": "THCS", "en": "lower secondary"},
    "upper_secondary": {"vi": "THPT", "en": "upper secondary"},
    "vocational_elementary": {"vi": "sơ cấp nghề", "en": "elementary vocational"},
    "vocational_intermediate": {"vi": "trung cấp", "en": "intermediate vocational"},
    "college": {"vi": "cao đẳng", "en": "college"},
    "university": {"vi": "đại học trở lên", "en": "university"},
    "preschool": {"vi": "mầm non", "en": "preschool"},
    "vocational": {"vi": "trường nghề", "en": "vocational school"},
    "higher": {"vi": "cao đẳng, đại học", "en": "higher education"},
}

VALUE_LABELS.update({
    "rural": {"vi": "nông thôn", "en": "rural"},
    "urban": {"vi": "thành thị", "en": "urban"},
    "durable": {"vi": "bền chắc", "en": "durable"},
    "non_durable": {"vi": "không bền chắc", "en": "non-durable"},
    "head": {"vi": "chủ hộ", "en": "head"},
    "spouse": {"vi": "vợ/chồng", "en": "spouse"},
    "child": {"vi": "con", "en": "child"},
    "parent": {"vi": "cha/mẹ", "en": "parent"},
    "grandchild": {"vi": "cháu", "en": "grandchild"},
    "sibling": {"vi": "anh/chị/em", "en": "sibling"},
    "male": {"vi": "nam", "en": "male"},
    "female": {"vi": "nữ", "en": "female"},
    "wage_contract": {"vi": "làm công, có hợp đồng lao động", "en": "wage work with a contract"},
    "wage_no_contract": {"vi": "làm công, không có hợp đồng lao động",
                         "en": "wage work without a contract"},
    "self_employed": {"vi": "tự làm (nông nghiệp, buôn bán...)", "en": "self-employed"},
    "unemployed": {"vi": "thất nghiệp", "en": "unemployed"},
    "student": {"vi": "đi học", "en": "student"},
    "not_in_labour_force": {"vi": "không tham gia lao động", "en": "not in the labour force"},
    "mild": {"vi": "khuyết tật nhẹ", "en": "mild disability"},
    "severe": {"vi": "khuyết tật nặng", "en": "severe disability"},
    "very_severe": {"vi": "khuyết tật đặc biệt nặng", "en": "very severe disability"},
})
# Where a value means something else in another field.
FIELD_VALUE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "disability": {"none": {"vi": "không khuyết tật", "en": "no disability"}},
}

MISSING_VALUE_LABEL = {"vi": "không rõ", "en": "not recorded"}


def text(key: str, lang: str = DEFAULT_LANG, **fields: object) -> str:
    """The message ``key`` in ``lang`` with its fields filled."""
    return MESSAGES[key][lang].format(**fields)


def label(value: str | None, lang: str = DEFAULT_LANG, field: str | None = None) -> str:
    """The readable label of an enumeration value (of ``field`` where it matters)."""
    if value is None:
        return MISSING_VALUE_LABEL[lang]
    labels = FIELD_VALUE_LABELS.get(field, {}).get(value) or VALUE_LABELS.get(value, {})
    return labels.get(lang, value)


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

"""The ``giamngheo`` command line (docs/record-format.md, "The command line").

Exit status of ``classify``: 0 every record classified, 1 some rejected (their errors are in the
output), 2 usage error or unreadable input (one line on standard error, nothing on output).
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import orjson
import polars as pl

from . import formats
from .engine.chunked import classify_files
from .engine.records import classify_many, classify_population, population_frame, validate_many
from .measures import alkire_foster
from .messages import LANGUAGES, format_int, text
from .rules.parameters import ParameterError, Registry, Standard, load_registry
from .rules.scorecard import Scorecard, load_scorecard
from .table_checks import TableError
from .tables import HOUSEHOLD_SCHEMA, MEMBER_SCHEMA, TableReadError, read_table, write_results

PROGRESS_FROM = 5000  # records; smaller inputs finish before a bar is worth drawing


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


@contextmanager
def progress_bar(total: int, label: str,
                 lang: str = "vi") -> Iterator[Callable[[int], object] | None]:
    """A tqdm bar on standard error when it is a terminal and the input is large."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=label, unit=text("cli.households_unit", lang),
              file=sys.stderr) as bar:
        yield bar.update


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of small, acyclic objects (records,
    results) are made: its repeated passes over them would cost more than the work itself."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _registry(args: argparse.Namespace) -> Registry:
    """The standards, and a check of the one the command forces (``--standard``)."""
    registry = load_registry(*(args.standards_dir or []))
    forced = getattr(args, "standard", None)
    for standard_id in [forced] if isinstance(forced, str) else forced or []:
        _standard(registry, standard_id)
    return registry


def _standard(registry: Registry, standard_id: str) -> Standard:
    try:
        return registry.get(standard_id)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None


def _scorecard(args: argparse.Namespace, registry: Registry) -> Scorecard | None:
    return load_scorecard(args.scorecard, registry) if args.scorecard else None


def _write(data: bytes, output: str | None) -> None:
    if output:
        Path(output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def cmd_classify(args: argparse.Namespace) -> int:
    registry = _registry(args)
    scorecard = _scorecard(args, registry)
    fmt = args.format or _format_of(args.output)
    if fmt == "xlsx" and not args.output:
        raise UsageError("--format xlsx needs -o OUTPUT")
    with bulk_allocation():
        items = formats.read_input(args.input)
        with progress_bar(len(items), text("cli.classifying", args.lang), args.lang) \
                as update:
            results = classify_many(items, registry, args.standard, args.lang, scorecard,
                                    update)
    if fmt == "xlsx":
        formats.write_xlsx(results, Path(args.output))
    else:
        dump = {"json": formats.dump_json, "jsonl": formats.dump_jsonl,
                "csv": formats.dump_csv}[fmt]
        _write(dump(results), args.output)
    return 1 if any("errors" in r for r in results) else 0


def _format_of(output: str | None) -> str:
    if output:
        suffix = Path(output).suffix.lower().lstrip(".")
        if suffix in formats.OUTPUT_FORMATS:
            return suffix
    return "json"


def cmd_batch(args: argparse.Namespace) -> int:
    registry = _registry(args)
    if all(Path(p).suffix.lower() == ".parquet" for p in (args.households, args.members)):
        counts = _batch_in_chunks(args, registry)
    else:
        out = classify_population(read_table(args.households, HOUSEHOLD_SCHEMA),
                                  read_table(args.members, MEMBER_SCHEMA), registry,
                                  args.standard, args.lang, args.reasons)
        write_results(out, args.output)
        counts = Counter(dict(out.get_column("classification").value_counts().iter_rows()))
    summary = ", ".join(f"{kind or text('cli.rejected', args.lang)}: {count}"
                        for kind, count in counts.most_common())
    print(text("cli.batch_done", args.lang, count=counts.total(), output=args.output,
               summary=summary), file=sys.stderr)
    return 1 if counts[None] else 0


def _batch_in_chunks(args: argparse.Namespace, registry: Registry) -> Counter[str | None]:
    """Parquet tables of any size: a chunk of households at a time (engine/chunked.py)."""
    try:
        total = pl.scan_parquet(args.households).select(pl.len()).collect().item()
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise TableReadError(f"{args.households}: {exc}") from None
    with progress_bar(total, text("cli.classifying", args.lang), args.lang) as update:
        shown = [0]

        def advance(done: int, _total: int) -> None:
            if update is not None:
                update(done - shown[0])
            shown[0] = done

        return classify_files(args.households, args.members, args.output, registry,
                              args.standard, args.lang, args.reasons, progress=advance)


def cmd_measures(args: argparse.Namespace) -> int:
    registry = _registry(args)
    scorecard = _scorecard(args, registry)
    items = formats.read_input(args.input)
    errors = validate_many(items, args.lang, scorecard)
    valid = [item for item, e in zip(items, errors, strict=True)
             if not e and isinstance(item, dict)]
    frame, standards = population_frame(valid, registry, args.standard, args.lang, scorecard)
    if len(standards) != 1:
        raise UsageError("the records fall under several standards "
                         f"({', '.join(standards) or 'none'}); choose one with --standard")
    if args.by and args.by not in frame.columns:
        raise UsageError(f"--by {args.by}: not a household field "
                         "(area, province_code, commune_code, ethnicity, ...)")
    result = alkire_foster(frame, registry.get(standards[0]), args.unit,
                           not args.no_income_gate, args.by)
    result["rejected_records"] = sum(1 for e in errors if e)
    if args.format == "table":
        _write(_measures_table(result, registry.get(standards[0]), args.lang).encode(),
               args.output)
    else:
        _write(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n", args.output)
    return 0


def _measures_table(result: dict[str, Any], standard: Standard, lang: str) -> str:
    def t(key: str) -> str:
        return text(key, lang)

    lines = [
        f"{t('cli.standard')}: {standard.id}    {t('cli.unit')}: {result['unit']}    "
        f"{t('cli.income_gate')}: {result['income_gate']}",
        f"n = {result['population']}   q = {result['poor']}   "
        f"{t('cli.excluded')} = {result['excluded']}",
        f"H = {result['H']:.4f}   A = {result['A']:.4f}   M0 = {result['M0']:.4f}",
        "",
        f"{t('cli.indicator'):<26}{t('cli.censored'):>16}{t('cli.contribution'):>16}",
    ]
    for code in standard.codes:
        lines.append(f"{code:<26}{result['censored_headcount'][code]:>16.4f}"
                     f"{100 * result['contribution'][code]:>16.2f}")
    lines.append("")
    for dim, share in result["contribution_by_dimension"].items():
        lines.append(f"{dim:<26}{'':>16}{100 * share:>16.2f}")
    if "by" in result:
        lines += ["", f"{result['by']['field']:<16}{'n':>10}{'H':>10}{'A':>10}{'M0':>10}"
                  f"{'%M0':>10}"]
        for g in result["by"]["groups"]:
            lines.append(f"{str(g['value']):<16}{g['population']:>10}{g['H']:>10.4f}"
                         f"{g['A']:>10.4f}{g['M0']:>10.4f}{100 * g['contribution']:>10.2f}")
    return "\n".join(lines) + "\n"


def cmd_standards(args: argparse.Namespace) -> int:
    registry = _registry(args)
    if args.action == "show":
        if not args.id:
            raise UsageError("standards show needs a standard id")
        try:
            standard = registry.get(args.id)
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
        _write(_describe(standard, args.lang).encode(), None)
        return 0
    for s in registry:
        until = s.valid_until.isoformat() if s.valid_until else "…"
        where = f" ({text('cli.province', args.lang)} {s.province_code})" \
            if s.province_code else ""
        flag = f"  [{len(s.unverified())} {text('cli.unverified', args.lang)}]" \
            if s.unverified() else ""
        print(f"{s.id:<22}{s.kind}{where:<14} {s.valid_from} .. {until}  "
              f"{s.display_name(args.lang)}{flag}")
    return 0


def _describe(s: Standard, lang: str) -> str:
    def t(key: str) -> str:
        return text(key, lang)

    def marked(verified: bool) -> str:
        return "" if verified else " " + t("cli.unverified_mark")

    until = s.valid_until.isoformat() if s.valid_until else "…"
    province = f", {t('cli.province')} {s.province_code}" if s.province_code else ""
    lines = [f"{s.id}: {s.name[lang]}", f"  {s.display_name(lang)}",
             f"  {t('cli.kind')}: {s.kind}{province}",
             f"  {t('cli.in_force')}: {s.valid_from} .. {until}",
             f"  {t('cli.legal_basis')}: {s.legal_basis}",
             f"  {t('cli.source')}: {s.source}{marked(s.verified)}",
             f"  {t('cli.file')}: {s.path}", "",
             f"{t('cli.parameters')}:"]
    for p in s.parameters.values():
        unit = f" ({p.unit})" if p.unit else ""
        if isinstance(p.value, dict) and all(isinstance(k, int) for k in p.value):
            lines.append(f"  {p.name}{unit}{marked(p.verified)}:")
            lines += [f"      {key}: {orjson.dumps(row).decode()}" for key, row in p.value.items()]
        else:
            value = "—" if p.value is None else orjson.dumps(p.value).decode()
            lines.append(f"  {p.name} = {value}{unit}{marked(p.verified)}")
        lines.append(f"      {t('cli.legal_basis')}: {p.legal_basis}")
        if p.legal_text:
            lines.append(f"      {t('cli.legal_text')}: {p.legal_text}")
        lines.append(f"      {t('cli.source')}: {p.source}")
        if p.note:
            lines.append(f"      {t('cli.note')}: {p.note}")
    lines += ["", f"{t('cli.indicators')} ({len(s.indicators)}):"]
    for i, ind in enumerate(s.indicators, start=1):
        dim = s.dimensions[ind.dimension][lang]
        lines.append(f"  {i:>2}. {ind.code} — {ind.label[lang]} ({dim}){marked(ind.verified)}")
        lines.append(f"      rule: {ind.rule} {orjson.dumps(ind.params).decode()}")
        lines.append(f"      {t('cli.legal_basis')}: {ind.legal_basis}")
        if ind.legal_text:
            lines.append(f"      {t('cli.legal_text')}: {ind.legal_text}")
        lines.append(f"      {t('cli.source')}: {ind.source}")
        if ind.note:
            lines.append(f"      {t('cli.note')}: {ind.note}")
    return "\n".join(lines) + "\n"


def cmd_scorecard(args: argparse.Namespace) -> int:
    registry = _registry(args)
    card = load_scorecard(args.file, registry)
    regions = ", ".join(sorted(set(card.region_of_province.values())))
    print(text("cli.scorecard_ok", args.lang, id=card.id, items=len(card.items),
               regions=regions, lines=card.score_lines))
    if card.illustration:
        print(card.notice[args.lang])
    return 0


def cmd_xlsform(args: argparse.Namespace) -> int:
    from .xlsform import build_xlsform

    registry = _registry(args)
    scorecard = load_scorecard(args.scorecard, registry) if args.scorecard else None
    standards = [registry.get(sid) for sid in args.standard] if args.standard else None
    build_xlsform(Path(args.output), scorecard, standards=standards)
    if args.check:
        from pyxform.xls2xform import convert

        try:  # pyxform, then ODK Validate (Java)
            convert(xlsform=args.output, validate=True)
        except Exception as error:  # pyxform and ODK Validate raise their own kinds
            print(f"giamngheo: {error}", file=sys.stderr)
            return 1
    print(text("cli.xlsform_done", args.lang, output=args.output))
    return 0


def cmd_whatif(args: argparse.Namespace) -> int:
    """Who changes under another standard: JSON (or an XLSX workbook with ``-o x.xlsx``)."""
    from .population import read_population
    from .whatif import what_if, write_xlsx

    registry = _registry(args)
    for sid in filter(None, (args.standard, args.against)):
        try:
            registry.get(sid)
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
    population = read_population(args.input, args.members, args.lang)
    report = what_if(population, args.standard, args.against, registry, args.lang) \
        .report(args.lang)
    if _format_of(args.output) == "xlsx":
        write_xlsx(report, Path(args.output), args.lang)
    else:
        _write(orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n", args.output)
    print(text("cli.whatif_done", args.lang, households=report["run"]["households"],
               changed=report["changed_count"], undecided=report["undecided_count"],
               rejected=report["run"]["rejected"]), file=sys.stderr)
    return 1 if report["rejected"] else 0


def cmd_allocate(args: argparse.Namespace) -> int:
    """A support plan: PLAN.json in issue 16's shape; the comparison and the rest with
    ``--report``; a summary on standard error."""
    from .allocation.options import PlanError
    from .allocation.plan import make_plan, read_request, report, single_budget
    from .allocation.supports import load_costs
    from .cells import CellError, parse_int
    from .population import read_population

    registry = _registry(args)
    if (args.budget is None) == (args.sources is None):
        raise UsageError("give either --budget VND or --sources FILE")
    try:
        costs = load_costs(args.costs)
        if args.sources:
            request = read_request(args.sources)
        else:
            try:
                budget = parse_int(args.budget)
            except CellError:
                raise UsageError(f"--budget {args.budget}: a whole number of đồng") from None
            request = {"sources": single_budget(budget)}
        population = read_population(args.input, args.members, args.lang)
        plan = make_plan(population, objective=args.objective, standard_id=args.standard,
                         costs=costs, registry=registry, lang=args.lang, gap=args.gap,
                         time_limit=args.time_limit, marginal=not args.no_compare,
                         compare=not args.no_compare, tradeoff=not args.no_compare,
                         **request)
    except PlanError as exc:
        raise UsageError(str(exc)) from None
    _write(orjson.dumps(plan.plan_json(), option=orjson.OPT_INDENT_2) + b"\n", args.output)
    full = report(plan, args.lang)
    if args.report and _format_of(args.report) == "xlsx":
        from .allocation.plan import write_xlsx
        from .plans import label, load_taxonomy

        write_xlsx(plan.plan_json(), full, Path(args.report), args.lang, sources={
            code: label(labels, args.lang) for code, labels
            in load_taxonomy("ntp-2021-2025").funding_sources.items()})
    elif args.report:
        Path(args.report).write_bytes(orjson.dumps(full, option=orjson.OPT_INDENT_2) + b"\n")
    print(_plan_summary(full, args.lang), file=sys.stderr)
    return 1 if population.rejected else 0


def _plan_summary(full: dict[str, Any], lang: str) -> str:
    def money(value: int | None) -> str:
        return "—" if value is None else format_int(value, lang)

    from .plans import label, load_taxonomy

    sources = load_taxonomy("ntp-2021-2025").funding_sources
    lines = [text("cli.plan_done", lang, poor=full["poor"], lifted=full["households_lifted"],
                  cost=money(full["total_cost"]),
                  per=money(full["cost_per_household_lifted"]),
                  method=text(f"cli.method.{full['method']}", lang),
                  gap=f"{100 * full['gap']:.2f}")]
    if "current_practice" in full:
        rule = full["current_practice"]
        lines.append(text("cli.plan_rule", lang, lifted=rule["households_lifted"],
                          cost=money(rule["total_cost"])))
    for m in full.get("marginal", []):
        name = label(sources[m["source"]], lang) if m["source"] in sources \
            else text("cli.one_budget", lang)
        lines.append(text("cli.plan_marginal", lang, source=name,
                          lifted=m["households_lifted"]))
    if full["run"]["rejected"]:
        lines.append(text("cli.plan_rejected", lang, count=full["run"]["rejected"]))
    return "\n".join(lines)


def _django() -> None:
    import os

    import django
    from django.core.exceptions import ImproperlyConfigured

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.web.settings")
    try:
        django.setup()
    except ImproperlyConfigured as error:  # a setting of the environment refused
        raise UsageError(str(error)) from None


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    _django()
    command = [args.command_name] if getattr(args, "command_name", None) else []
    execute_from_command_line(["giamngheo manage", *command, *args.arguments])
    return 0


ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'  # no query string


def cmd_serve(args: argparse.Namespace) -> int:
    """The application for real: gunicorn, static files by whitenoise, settings from the
    environment (refused with DEBUG on, without a real secret key, or with a value not
    understood), and the worker that checks and imports uploads beside it."""
    import os

    from .web.environment import EnvironmentValueError, production_problems

    try:
        problems = production_problems(os.environ)
    except EnvironmentValueError as error:
        problems = [str(error)]
    if problems:
        for problem in problems:
            print(f"giamngheo serve: {problem}", file=sys.stderr)
        return 2
    os.environ["GIAMNGHEO_DEBUG"] = "0"
    _django()
    from django.core.management import call_command

    from .web.exchange.worker import start_beside
    from .web.staticfiles import collect_static

    call_command("check", deploy=True, fail_level="WARNING")
    call_command("migrate", check=True, verbosity=0)  # exits 1 with unapplied migrations
    collect_static()  # done by setup; again only if a static file changed since
    workers = args.workers or 2 * (os.cpu_count() or 1) + 1
    start_beside(os.getpid())  # gunicorn keeps this process id: the worker ends with it
    os.execvp(sys.executable, [
        sys.executable, "-m", "gunicorn", "giamngheo.web.wsgi:application",
        "--bind", args.bind, "--workers", str(workers), "--timeout", "120",
        "--graceful-timeout", "30", "--max-requests", "2000", "--max-requests-jitter", "200",
        "--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT,
        "--no-control-socket"])  # one per user's home: two servers on a machine would share it


def cmd_worker(args: argparse.Namespace) -> int:
    _django()
    from .web.exchange.worker import Worker

    Worker(args.memory_mb, args.seconds, exit_with=args.exit_with).serve()
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    """First run for a province: the database tables, the administrative units, the first
    administrator."""
    _django()
    from django.core.management import call_command

    from .web.staticfiles import collect_static

    call_command("migrate", verbosity=1)
    call_command("load_units", *([str(args.units)] if args.units else []))
    call_command("createadmin", args.admin, email=args.email)
    collect_static()  # once here, so that serve starts in seconds
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """The demo web application on SQLite with the synthetic Tân Phú data, served on
    127.0.0.1 as the demo runs (``environment.mode``): debug off, plain http, its own secret
    key, the static files collected and served by whitenoise."""
    import os

    os.environ.setdefault("GIAMNGHEO_DATA_DIR", str(Path.cwd() / "var" / "demo"))
    os.environ["GIAMNGHEO_DEMO"] = "1"
    _django()
    from django.core.management import call_command

    from .web.demo import DEMO_PASSWORD, DEMO_USERS
    from .web.exchange.worker import start_beside
    from .web.staticfiles import collect_static

    call_command("migrate", verbosity=0)
    call_command("demo_data", households=args.households)
    collect_static()  # once; again only if a static file changed since
    print(f"http://127.0.0.1:{args.port}/  —  " + ", ".join(u[0] for u in DEMO_USERS)
          + f"  /  {DEMO_PASSWORD}", file=sys.stderr)
    worker = start_beside(os.getpid())
    try:
        call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False)
    finally:
        worker.terminate()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="giamngheo", description="GiảmNghèo: poverty classification")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lang", choices=LANGUAGES, default="vi")
        p.add_argument("--standards-dir", action="append", metavar="DIR",
                       help="more standard parameter files")

    p = sub.add_parser("classify", help="classify household records")
    p.add_argument("input", help=".json, .jsonl, .csv, .xlsx or - for standard input")
    p.add_argument("--standard", help="force this standard id")
    p.add_argument("--format", choices=formats.OUTPUT_FORMATS)
    p.add_argument("-o", "--output")
    p.add_argument("--scorecard", help="B1 scorecard file (or 'example') to score b1_items")
    common(p)
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("batch", help="classify household and member tables (Parquet/CSV)")
    p.add_argument("households", help="households table, .parquet or .csv")
    p.add_argument("members", help="members table, .parquet or .csv")
    p.add_argument("-o", "--output", required=True, help="results: .parquet, .csv or .jsonl")
    p.add_argument("--standard")
    p.add_argument("--reasons", action="store_true", help="add the reasons (slower)")
    common(p)
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("measures", help="Alkire-Foster measures of household records")
    p.add_argument("input")
    p.add_argument("--by", help="decompose by this household field")
    p.add_argument("--unit", choices=("household", "person"), default="household")
    p.add_argument("--no-income-gate", action="store_true",
                   help="pure multidimensional measure (ignore income)")
    p.add_argument("--standard")
    p.add_argument("--format", choices=("json", "table"), default="json")
    p.add_argument("-o", "--output")
    p.add_argument("--scorecard")
    common(p)
    p.set_defaults(func=cmd_measures)

    p = sub.add_parser("standards", help="list the standards, or show one")
    p.add_argument("action", nargs="?", choices=("list", "show"), default="list")
    p.add_argument("id", nargs="?")
    common(p)
    p.set_defaults(func=cmd_standards)

    p = sub.add_parser("whatif", help="who changes if another standard is applied")
    p.add_argument("input", help="records (.json, .jsonl, .csv, .xlsx, -) or a households "
                                 "table with --members")
    p.add_argument("--standard", required=True, help="the standard to try (B)")
    p.add_argument("--against", help="the standard to compare with (A; default: the national "
                                     "standard in force at each reference date)")
    p.add_argument("--members", help="members table when INPUT is a households table")
    p.add_argument("-o", "--output", help=".json (default: standard output) or .xlsx")
    common(p)
    p.set_defaults(func=cmd_whatif)

    p = sub.add_parser("allocate", help="the support plan that lifts the most households")
    p.add_argument("input", help="records (.json, .jsonl, .csv, .xlsx, -) or a households "
                                 "table with --members")
    p.add_argument("--budget", help="one budget in đồng (1500000000 or 1.500.000.000)")
    p.add_argument("--sources", help="budgets per funding source, commune limits, priority "
                                     "groups (YAML or JSON)")
    p.add_argument("--standard")
    p.add_argument("--costs", help="unit costs {support: đồng} overriding the defaults")
    p.add_argument("--objective", choices=("lifted", "m0", "most_deprived"), default="lifted")
    p.add_argument("--members", help="members table when INPUT is a households table")
    p.add_argument("-o", "--output", help="PLAN.json (default: standard output)")
    p.add_argument("--report", help="write the comparison, explanations and figures here "
                                    "(.json, or a workbook .xlsx)")
    p.add_argument("--gap", type=float, default=1e-4,
                   help="relative optimality gap at which the solver stops (programme only)")
    p.add_argument("--time-limit", type=float, default=55.0, help="seconds for the solver")
    p.add_argument("--no-compare", action="store_true",
                   help="skip the current rule, the other objectives and marginal values")
    common(p)
    p.set_defaults(func=cmd_allocate)

    p = sub.add_parser("demo", help="serve the demo web application with synthetic data")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--households", type=int, default=5000)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="run the web application in production (gunicorn)")
    p.add_argument("--bind", default="127.0.0.1:8000", help="address:port (nginx in front)")
    p.add_argument("--workers", type=int, help="processes (default: 2 × cores + 1)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("setup", help="first run: tables, administrative units, administrator")
    p.add_argument("--admin", required=True, help="user name of the first administrator")
    p.add_argument("--email", default="")
    p.add_argument("--units", type=Path, help="a units JSON file (default: the shipped one)")
    p.set_defaults(func=cmd_setup)

    p = sub.add_parser("worker", help="check and import the uploaded files, each in a "
                       "process of limited memory (serve and demo start it)")
    p.add_argument("--memory-mb", type=int, help="address space of a job's process")
    p.add_argument("--seconds", type=int, help="CPU time of a job's process")
    p.add_argument("--exit-with", type=int, metavar="PID",
                   help="end when this process (the web server) ends")
    p.set_defaults(func=cmd_worker)

    for name, help_text in (("createadmin", "create an administrator"),
                            ("backup", "back up the database and the uploaded files"),
                            ("restore", "restore a backup into an empty database")):
        p = sub.add_parser(name, help=help_text, add_help=False)
        p.add_argument("arguments", nargs=argparse.REMAINDER)
        p.set_defaults(func=cmd_manage, command_name=name)

    p = sub.add_parser("manage", help="Django management commands of the web application",
                       add_help=False)
    p.add_argument("arguments", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)

    p = sub.add_parser("scorecard", help="validate a B1 scorecard file")
    p.add_argument("file", help="a scorecard YAML file, or 'example'")
    common(p)
    p.set_defaults(func=cmd_scorecard)

    p = sub.add_parser("xlsform", help="the review questionnaire as an XLSForm (ODK, Kobo)")
    p.add_argument("-o", "--output", required=True, help="the .xlsx to write")
    p.add_argument("--scorecard", help="add the B1 items of this scorecard ('example' or file)")
    p.add_argument("--check", action="store_true",
                   help="convert with pyxform and run ODK Validate (needs Java)")
    p.add_argument("--standard", action="append", metavar="ID",
                   help="ask what the reviews under this standard need (repeatable; "
                        "default: every question)")
    common(p)
    p.set_defaults(func=cmd_xlsform)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        status: int = args.func(args)
        return status
    except BrokenPipeError:
        return 0
    except (UsageError, formats.InputError, ParameterError, TableReadError,
            TableError) as exc:
        print(f"giamngheo: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. an output folder that does not exist
        print(f"giamngheo: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

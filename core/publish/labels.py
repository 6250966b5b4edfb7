"""Every word a published report shows, and how its numbers, dates and periods look.

The words are gettext messages (:mod:`plancheck.language`): each label has a
key (``status.met``), which is the message's context, and its English, the
message itself, written once in :func:`_labels` as ``pgettext(key, english)``;
the Vietnamese is in the catalog (``core/locale/vi/LC_MESSAGES/plancheck.po``,
``msgctxt "status.met"``), where translators' tools read and write it.
:class:`Locale` looks labels up in one language and formats numbers,
percentages and dates with Babel as that language writes them:

=========  ============  ============
           ``vi``        ``en``
=========  ============  ============
number     1.234,5       1,234.5
percent    32,9%         32.9%
date       12/03/2024    2024-03-12
period     Quý I/2024    Q1 2024
=========  ============  ============

To add a label: a line ``"my.key": pgettext("my.key", "English with {field}"),``
in :func:`_labels`; then ``python scripts/catalogs.py update``, its Vietnamese
in the .po (the entry with ``msgctxt "my.key"``), ``python scripts/catalogs.py
compile``. ``Locale(lang).t("my.key", field=...)`` gives it; tests/test_language.py
fails until the translation is there.

The plan's own names (agencies, units, items) are not translated here: they
come from the plan, in Vietnamese as written, with the plan's ``name_en``
shown for ``en``.
"""

from __future__ import annotations

import functools
from datetime import date

import attrs

from plancheck import language
from plancheck.language import LANGS, pgettext

__all__ = ["EN", "LABELS", "LANGS", "VI", "Locale", "labels"]


def _labels() -> dict[str, str]:
    """Every label, in the language of the moment (see :func:`labels`)."""
    return {
        # statuses and kinds
        "status.met": pgettext("status.met", "Met"),
        "status.not_met": pgettext("status.not_met", "Not met"),
        "status.pending": pgettext("status.pending", "Pending"),
        "status.no_data": pgettext("status.no_data", "No data"),
        "kind.target": pgettext("kind.target", "Target"),
        "kind.task": pgettext("kind.task", "Task"),
        "kind.obligation": pgettext("kind.obligation", "Reporting obligation"),
        "kind.consistency": pgettext("kind.consistency", "Data check"),
        "kinds.target": pgettext("kinds.target", "Targets"),
        "kinds.task": pgettext("kinds.task", "Tasks"),
        "kinds.obligation": pgettext("kinds.obligation", "Reporting obligations"),
        "kinds.consistency": pgettext("kinds.consistency", "Data consistency checks"),
        # reasons
        "reason.late": pgettext("reason.late", "{days} days late"),
        "reason.missing": pgettext("reason.missing", "Not done, {days} days overdue"),
        "reason.missing_report": pgettext("reason.missing_report", "Report not sent, {days} days overdue"),
        "reason.below_target": pgettext("reason.below_target", "Below target"),
        "reason.above_limit": pgettext("reason.above_limit", "Above the limit"),
        "reason.growth_too_low": pgettext("reason.growth_too_low", "Growth below target"),
        "reason.growth_too_high": pgettext("reason.growth_too_high", "Growth above the limit"),
        "reason.not_increased": pgettext("reason.not_increased", "Did not increase"),
        "reason.not_decreased": pgettext("reason.not_decreased", "Did not decrease"),
        "reason.not_in_class": pgettext("reason.not_in_class", "Does not meet the criteria"),
        "reason.no_deadline": pgettext("reason.no_deadline", "No deadline in the plan"),
        "reason.inconsistent": pgettext("reason.inconsistent", "Inconsistent data"),
        "reason.unit_reorganised": pgettext("reason.unit_reorganised", "Administrative unit reorganised"),
        "waived": pgettext("waived", "waived"),
        # expected / actual
        "expected.by": pgettext("expected.by", "By {date}"),
        "expected.no_deadline": pgettext("expected.no_deadline", "No deadline in the plan"),
        "expected.of": pgettext("expected.of", "{count} of {of}"),
        "expected.in_class": pgettext("expected.in_class", "Meets: {rule}"),
        "expected.growth": pgettext("expected.growth", "Growth {cmp} {value} vs {previous}"),
        "expected.change": pgettext("expected.change", "Change {cmp} {value} vs {previous}"),
        "actual.in_class": pgettext("actual.in_class", "Meets the criteria"),
        "actual.not_in_class": pgettext("actual.not_in_class", "Does not meet the criteria"),
        "actual.none": pgettext("actual.none", "—"),
        # what a verdict rests on besides the data (publish.content.mark_label)
        "mark.reading": pgettext("mark.reading", "reading of the text"),
        "mark.proxy": pgettext("mark.proxy", "proxy"),
        "mark.assumed": pgettext("mark.assumed", "assumed"),
        "mark.doubt": pgettext("mark.doubt", "doubt"),
        # reporting timeliness
        "timely.on_time": pgettext("timely.on_time", "On time"),
        "timely.late": pgettext("timely.late", "Late"),
        "timely.missing": pgettext("timely.missing", "Missing"),
        "timely.pending": pgettext("timely.pending", "Not yet due"),
        # notices
        "notice.heading": pgettext("notice.heading", "Read this first"),
        "notice.example": pgettext("notice.example",
                                   "EXAMPLE DATA: illustrative figures shipped with the plugin, not real reports."),
        "notice.incomplete": pgettext("notice.incomplete", "Plan {plan} is INCOMPLETE: {why}"),
        "notice.press_summary": pgettext("notice.press_summary",
                                         "Plan {plan} is encoded from a press summary, not the plan itself."),
        # columns
        "col.status": pgettext("col.status", "Status"),
        "col.reason": pgettext("col.reason", "Reason"),
        "col.kind": pgettext("col.kind", "Kind"),
        "col.name": pgettext("col.name", "Item"),
        "col.name_original": pgettext("col.name_original", "Item (as written, Vietnamese)"),
        "col.agency": pgettext("col.agency", "Agency"),
        "col.unit": pgettext("col.unit", "Unit"),
        "col.period": pgettext("col.period", "Period"),
        "col.due": pgettext("col.due", "Due"),
        "col.expected": pgettext("col.expected", "Expected"),
        "col.actual": pgettext("col.actual", "Actual"),
        "col.days_late": pgettext("col.days_late", "Days late"),
        "col.source": pgettext("col.source", "Plan clause"),
        "col.assumed": pgettext("col.assumed", "Assumption"),
        "col.item": pgettext("col.item", "Item id"),
        "col.plan": pgettext("col.plan", "Plan id"),
        "col.no": pgettext("col.no", "No."),
        "col.count": pgettext("col.count", "Count"),
        "col.total": pgettext("col.total", "Total"),
        # the HTML page
        "page.title": pgettext("page.title", "Plan implementation — {province} — {date}"),
        "page.as_of": pgettext("page.as_of", "Data as of {date}"),
        "page.province": pgettext("page.province", "Province"),
        "page.generated": pgettext("page.generated",
                                   "Made by plancheck from the encoded plan and the reported data; every row cites "
                                   "its clause."),
        "page.summary": pgettext("page.summary", "Summary"),
        "page.total": pgettext("page.total", "Items followed"),
        "page.charts": pgettext("page.charts", "Charts"),
        "page.chart_kind": pgettext("page.chart_kind", "Status by kind of item"),
        "page.chart_timely": pgettext("page.chart_timely", "Reporting timeliness by agency"),
        "page.chart_targets": pgettext("page.chart_targets", "Targets against actuals"),
        "page.chart_target": pgettext("page.chart_target", "Target"),
        "page.chart_actual": pgettext("page.chart_actual", "Actual"),
        "page.findings": pgettext("page.findings", "Findings"),
        "page.filter_status": pgettext("page.filter_status", "Status"),
        "page.filter_agency": pgettext("page.filter_agency", "Agency"),
        "page.filter_kind": pgettext("page.filter_kind", "Kind"),
        "page.filter_all": pgettext("page.filter_all", "All"),
        "page.showing": pgettext("page.showing", "Showing {shown} of {total} rows"),
        "page.no_charts": pgettext("page.no_charts", "No numeric target has a result to chart."),
        "page.no_obligations": pgettext("page.no_obligations", "The plan has no reporting obligations."),
        "page.assumed": pgettext("page.assumed", "assumed"),
        "page.search": pgettext("page.search", "Search"),
        "page.search_placeholder": pgettext("page.search_placeholder", "item, unit, agency, clause… (marks optional)"),
        "page.group_by_agency": pgettext("page.group_by_agency", "Group by agency"),
        "page.group_rows": pgettext("page.group_rows",
                                    "{n} rows: {not_met} not met, {no_data} no data, {pending} pending, {met} met"),
        "page.sort_by": pgettext("page.sort_by", "Sort by"),
        "page.sort_hint": pgettext("page.sort_hint", "Click a column heading to sort by it; click again to reverse."),
        "page.scorecard": pgettext("page.scorecard", "Reporting completeness by agency"),
        "page.scorecard_help": pgettext("page.scorecard_help",
                                        "As DHIS2's reporting-rate summary: the reports due are those whose deadline "
                                        "had passed by {date}; received, on time, late and missing are counted among "
                                        "them, and the rates are over the reports due. Reports not yet due are "
                                        "counted apart."),
        "page.chart_history": pgettext("page.chart_history", "Each target over its periods"),
        "page.no_history": pgettext("page.no_history", "No target has results for two periods or more yet."),
        "card.expected": pgettext("card.expected", "Reports due"),
        "card.received": pgettext("card.received", "Received"),
        "card.on_time": pgettext("card.on_time", "On time"),
        "card.late": pgettext("card.late", "Late"),
        "card.missing": pgettext("card.missing", "Missing"),
        "card.pending": pgettext("card.pending", "Not yet due"),
        "card.received_rate": pgettext("card.received_rate", "Reporting rate"),
        "card.on_time_rate": pgettext("card.on_time_rate", "On-time rate"),
        "card.total": pgettext("card.total", "All agencies"),
        "card.details": pgettext("card.details", "{late} late, {missing} missing"),
        "card.late_entry": pgettext("card.late_entry", "{who}: {name}, {period}, {days} days late"),
        "card.missing_entry": pgettext("card.missing_entry", "{who}: {name}, {period}, {days} days overdue"),
        "card.none": pgettext("card.none", "No agency has a report due yet."),
        "card.reports": pgettext("card.reports", "Late and missing reports"),
        # the spreadsheet
        "sheet.summary": pgettext("sheet.summary", "Summary"),
        "sheet.target": pgettext("sheet.target", "Targets"),
        "sheet.task": pgettext("sheet.task", "Tasks"),
        "sheet.obligation": pgettext("sheet.obligation", "Reporting obligations"),
        "sheet.consistency": pgettext("sheet.consistency", "Data checks"),
        "sheet.title": pgettext("sheet.title", "Plan implementation report"),
        "sheet.by_status": pgettext("sheet.by_status", "By status"),
        "sheet.by_kind": pgettext("sheet.by_kind", "By kind of item"),
        "sheet.timely": pgettext("sheet.timely", "Reporting timeliness by agency"),
        "sheet.scorecard": pgettext("sheet.scorecard", "Reporting completeness"),
        # the Word draft (Decree 30/2020/NĐ-CP layout)
        "doc.number": pgettext("doc.number", "No.: ......../BC-........."),
        "doc.nation": pgettext("doc.nation", "SOCIALIST REPUBLIC OF VIETNAM"),
        "doc.motto": pgettext("doc.motto", "Independence - Freedom - Happiness"),
        "doc.place_date": pgettext("doc.place_date", "{place}, (day) ...... (month) ...... (year) ......"),
        "doc.draft": pgettext("doc.draft", "DRAFT"),
        "doc.title": pgettext("doc.title", "REPORT"),
        "doc.subject": pgettext("doc.subject", "Results of implementing the {title}"),
        "doc.subject_document": pgettext("doc.subject_document", "(Plan No. {document})"),
        "doc.as_of": pgettext("doc.as_of", "(Data as of {date})"),
        "doc.section_summary": pgettext("doc.section_summary", "I. OVERALL RESULTS"),
        "doc.summary_text": pgettext("doc.summary_text",
                                     "As of {date}, the plan has {total} items followed (targets, tasks, reporting "
                                     "obligations): {met} met, {not_met} not met, {pending} not yet due, {no_data} "
                                     "with no data."),
        "doc.section_findings": pgettext("doc.section_findings", "II. DETAILED RESULTS"),
        "doc.subsection": pgettext("doc.subsection", "{n}. {title}"),
        "doc.none": pgettext("doc.none", "None."),
        "doc.section_proposals": pgettext("doc.section_proposals", "III. PROPOSALS AND RECOMMENDATIONS"),
        "doc.proposals_placeholder": pgettext("doc.proposals_placeholder",
                                              "[State the proposals for the targets and tasks not met and for the "
                                              "agencies that did not report as required.]"),
        "doc.closing": pgettext("doc.closing", "This concludes the report on the implementation of the plan./."),
        "doc.recipients": pgettext("doc.recipients", "Recipients:"),
        "doc.recipients_list": pgettext("doc.recipients_list",
                                        "- ............;\n- ............;\n- Archived: VT, ......."),
        "doc.signer_authority": pgettext("doc.signer_authority", "AUTHORITY AND TITLE OF THE SIGNER"),
        "doc.signature": pgettext("doc.signature", "(Signature of the competent person, seal of the agency)"),
        "doc.signer_name": pgettext("doc.signer_name", "Full name"),
        # the report's story in words (publish.narrative) and the Word draft's Appendix
        "story.no_agency": pgettext("story.no_agency", "the plan names no body"),
        "story.more": pgettext("story.more", " … and {n} more (see the Appendix)"),
        "story.more_items": pgettext("story.more_items", "{n} more targets not met are listed in the Appendix."),
        "story.targets_none": pgettext("story.targets_none", "No target has a result to judge yet."),
        "story.targets_judged": pgettext("story.targets_judged",
                                         "Targets: {judged} results have been judged ({items} targets, each unit and "
                                         "period on its own): {met} met, {not_met} not met."),
        "story.targets_not_met": pgettext("story.targets_not_met", "The targets not met:"),
        "story.target_line": pgettext("story.target_line",
                                      "{name} ({where}, {period}): required {expected}; result {actual}{gap}."),
        "story.gap": pgettext("story.gap", ", {gap}"),
        "story.short": pgettext("story.short", "{amount} short of the target"),
        "story.over": pgettext("story.over", "{amount} over the limit"),
        "story.points": pgettext("story.points", "{n} percentage points"),
        "story.target_units": pgettext("story.target_units",
                                       "{name} ({period}): required {expected}; not met in {n} units: {units}."),
        "story.targets_met": pgettext("story.targets_met", "Targets met: {names}."),
        "story.targets_no_data": pgettext("story.targets_no_data",
                                          "{n} results cannot be judged for lack of data; the data are owed by: "
                                          "{agencies}."),
        "story.targets_pending": pgettext("story.targets_pending", "{n} results are not yet due."),
        "story.tasks_none": pgettext("story.tasks_none", "No task has fallen due yet."),
        "story.tasks_due": pgettext("story.tasks_due",
                                    "Tasks: {due} have fallen due: {on_time} done on time, {late} done late, "
                                    "{missing} not done."),
        "story.tasks_late": pgettext("story.tasks_late", "Done late: {list}."),
        "story.tasks_missing": pgettext("story.tasks_missing", "Not done and overdue: {list}."),
        "story.tasks_pending": pgettext("story.tasks_pending",
                                        "{n} tasks are not yet due or have no deadline in the plan."),
        "story.reports_none": pgettext("story.reports_none", "No report has fallen due yet."),
        "story.reports_due": pgettext("story.reports_due",
                                      "Reporting: {due} reports have fallen due; {received} were received ({rate}), "
                                      "{on_time} of them on time and {late} late; {missing} have not been sent."),
        "story.reports_late": pgettext("story.reports_late", "Sent late: {list}."),
        "story.reports_missing": pgettext("story.reports_missing", "Not sent: {list}."),
        "story.reports_pending": pgettext("story.reports_pending", "{n} reports are not yet due."),
        "story.late_entry": pgettext("story.late_entry", "{who} ({name}, {period}: {days} days)"),
        "story.checks": pgettext("story.checks", "{n} data checks found figures that do not agree: {list}."),
        "story.propose_reports": pgettext("story.propose_reports", "{agency}: send the {n} overdue reports."),
        "story.propose_tasks": pgettext("story.propose_tasks", "{agency}: complete the {n} overdue tasks ({names})."),
        "story.propose_targets": pgettext("story.propose_targets",
                                          "{agency}: take measures for the {n} results not met ({names})."),
        "story.propose_data": pgettext("story.propose_data",
                                       "{agency}: report the data missing for {n} results ({names})."),
        "story.propose_edit": pgettext("story.propose_edit", "[Amend and complete the proposals above.]"),
        "doc.see_appendix": pgettext("doc.see_appendix",
                                     "The result of every item, with the clause of the plan it comes from, is in the "
                                     "Appendix to this report."),
        "doc.appendix": pgettext("doc.appendix", "APPENDIX"),
        "doc.appendix_title": pgettext("doc.appendix_title", "RESULTS OF EACH ITEM OF THE PLAN"),
        "doc.appendix_ref": pgettext("doc.appendix_ref",
                                     "(Attached to Report No. ......../BC-......... of (day) ...... (month) ...... "
                                     "(year) ...... of the {issuer})"),
        "doc.notes": pgettext("doc.notes",
                              "Notes: the assumptions, readings of the text, proxies and doubts the verdicts rest on"),
        # periods
        "period.year": pgettext("period.year", "{year}"),
        "period.half1": pgettext("period.half1", "H1 {year}"),
        "period.half2": pgettext("period.half2", "H2 {year}"),
        "period.quarter1": pgettext("period.quarter1", "Q1 {year}"),
        "period.quarter2": pgettext("period.quarter2", "Q2 {year}"),
        "period.quarter3": pgettext("period.quarter3", "Q3 {year}"),
        "period.quarter4": pgettext("period.quarter4", "Q4 {year}"),
        "period.month": pgettext("period.month", "{year}-{month:02d}"),
        # the national dashboard (plancheck compare --format html)
        "cmp.title": pgettext("cmp.title", "Provinces compared — {programme} — {date}"),
        "cmp.heading": pgettext("cmp.heading", "Provinces compared"),
        "cmp.programme": pgettext("cmp.programme", "Programme"),
        "cmp.periods": pgettext("cmp.periods", "Periods compared"),
        "cmp.period_shared": pgettext("cmp.period_shared", "compared on the years every compared plan covers: {years}"),
        "cmp.period_requested": pgettext("cmp.period_requested", "period {period} requested"),
        "cmp.period_not_covered": pgettext("cmp.period_not_covered", "; it is NOT covered by every compared plan"),
        "cmp.period_none": pgettext("cmp.period_none",
                                    "no year is covered by every compared plan; each province is shown on its own "
                                    "years"),
        "cmp.original": pgettext("cmp.original", "as written"),
        "cmp.notice_example": pgettext("cmp.notice_example",
                                       "EXAMPLE DATA: illustrative figures shipped with the plugins, not real "
                                       "reports."),
        "cmp.notice_province": pgettext("cmp.notice_province", "{province}: {notice}"),
        "cmp.notice_failed": pgettext("cmp.notice_failed",
                                      "Could not be assessed: {provinces}. The reason is in each province's failed "
                                      "row."),
        "cmp.notice_unconfirmed": pgettext("cmp.notice_unconfirmed",
                                           "National thresholds marked * have not been checked against the "
                                           "programme's official text."),
        "cmp.heatmap": pgettext("cmp.heatmap", "Attainment by province and national indicator"),
        "cmp.heatmap_help": pgettext("cmp.heatmap_help",
                                     "Each cell compares the actual with the province's own target: attainment = "
                                     "actual / target (for lower-is-better indicators: target / actual). Hover "
                                     "over or click a cell for its evidence. A cell with several periods or units "
                                     "shows the lowest attainment."),
        "cmp.col_province": pgettext("cmp.col_province", "Province"),
        "cmp.national": pgettext("cmp.national", "National: {cmp} {value}"),
        "cmp.lower_better": pgettext("cmp.lower_better", "lower is better"),
        "cmp.unconfirmed": pgettext("cmp.unconfirmed", "not checked against the official text"),
        "cmp.legend": pgettext("cmp.legend", "Legend"),
        "cmp.state.met": pgettext("cmp.state.met", "Met (attainment ≥ 100%)"),
        "cmp.state.a3": pgettext("cmp.state.a3", "Not met, attainment 90–100%"),
        "cmp.state.a2": pgettext("cmp.state.a2", "Not met, attainment 75–90%"),
        "cmp.state.a1": pgettext("cmp.state.a1", "Not met, attainment 50–75%"),
        "cmp.state.a0": pgettext("cmp.state.a0", "Not met, attainment under 50%"),
        "cmp.state.unknown": pgettext("cmp.state.unknown", "Not met, attainment not computable"),
        "cmp.state.pending": pgettext("cmp.state.pending", "Pending"),
        "cmp.state.no_data": pgettext("cmp.state.no_data", "No data"),
        "cmp.state.no_period": pgettext("cmp.state.no_period", "No result in the compared period"),
        "cmp.state.not_in_plan": pgettext("cmp.state.not_in_plan", "Not in plan"),
        "cmp.state.skipped": pgettext("cmp.state.skipped", "Skipped by the plan"),
        "cmp.state.failed": pgettext("cmp.state.failed", "Failed: not assessed"),
        "cmp.rows": pgettext("cmp.rows", "{n} periods/units"),
        "cmp.details": pgettext("cmp.details", "Evidence for the selected cell"),
        "cmp.details_hint": pgettext("cmp.details_hint", "Click a cell of the table to see its evidence here."),
        "cmp.ev.indicator": pgettext("cmp.ev.indicator", "National indicator"),
        "cmp.ev.province": pgettext("cmp.ev.province", "Province"),
        "cmp.ev.target": pgettext("cmp.ev.target", "Province's target"),
        "cmp.ev.national": pgettext("cmp.ev.national", "National threshold"),
        "cmp.ev.actual": pgettext("cmp.ev.actual", "Actual"),
        "cmp.ev.attainment": pgettext("cmp.ev.attainment", "Attainment"),
        "cmp.ev.period": pgettext("cmp.ev.period", "Period"),
        "cmp.ev.unit": pgettext("cmp.ev.unit", "Unit"),
        "cmp.ev.status": pgettext("cmp.ev.status", "Status"),
        "cmp.ev.item": pgettext("cmp.ev.item", "Plan target id"),
        "cmp.ev.plan": pgettext("cmp.ev.plan", "Plan id"),
        "cmp.ev.source": pgettext("cmp.ev.source", "Plan clause"),
        "cmp.ev.adoption": pgettext("cmp.ev.adoption", "Adoption"),
        "cmp.ev.reason": pgettext("cmp.ev.reason", "Reason"),
        "cmp.adoption.mapped": pgettext("cmp.adoption.mapped", "A target of the plan stands for this indicator"),
        "cmp.adoption.included": pgettext("cmp.adoption.included", "Included from the programme as is"),
        "cmp.adoption.restated": pgettext("cmp.adoption.restated", "Restated in the plan"),
        "cmp.adoption.not_in_plan": pgettext("cmp.adoption.not_in_plan", "The plan does not adopt this indicator"),
        "cmp.adoption.skipped": pgettext("cmp.adoption.skipped", "The plan states it leaves this indicator out"),
        "cmp.adoption.failed": pgettext("cmp.adoption.failed", "The province could not be assessed"),
        "cmp.status.no_period_shared": pgettext("cmp.status.no_period_shared", "No result in the compared period"),
        "cmp.reporting": pgettext("cmp.reporting", "Reporting discipline and coverage"),
        "cmp.chart_reporting": pgettext("cmp.chart_reporting", "Reports due, by province"),
        "cmp.chart_coverage": pgettext("cmp.chart_coverage", "Coverage: share of the plan items due that have data"),
        "cmp.coverage_rule": pgettext("cmp.coverage_rule", "A province under 50% is not ranked."),
        "cmp.coverage_share": pgettext("cmp.coverage_share", "Share with data"),
        "cmp.no_reporting": pgettext("cmp.no_reporting", "No province has a report due."),
        "cmp.col.expected": pgettext("cmp.col.expected", "Reports due"),
        "cmp.col.received": pgettext("cmp.col.received", "Received"),
        "cmp.col.on_time_rate": pgettext("cmp.col.on_time_rate", "On-time rate"),
        "cmp.col.mean_days_late": pgettext("cmp.col.mean_days_late", "Mean days late"),
        "cmp.col.items_due": pgettext("cmp.col.items_due", "Plan items due"),
        "cmp.col.with_data": pgettext("cmp.col.with_data", "With data"),
        "cmp.col.coverage": pgettext("cmp.col.coverage", "Coverage"),
        "cmp.ranking": pgettext("cmp.ranking", "Ranking"),
        "cmp.ranking_rule_label": pgettext("cmp.ranking_rule_label", "Ranking rule"),
        "cmp.ranking_rule": pgettext("cmp.ranking_rule",
                                     "Provinces are ranked by the share of their national-indicator verdicts that "
                                     "are met (met / (met + not met)) over the shared periods; ties are broken by "
                                     "the on-time reporting rate, then by province id. A province with no judged "
                                     "indicator, or with data for under half of its due plan items (coverage < "
                                     "50%), is listed unranked, so little data cannot rank first."),
        # judge.compare.GROUPING_RULE and ROADMAP_RULE, word for word in English
        "cmp.grouping_rule": pgettext("cmp.grouping_rule",
                                      "Provinces are grouped as they exist on the units date: a province formed by a "
                                      "merger is one group, with the plans of the provinces it was formed from under "
                                      "it, each judged on the units it was written for (a finding on a unit since "
                                      "reorganised without an exact mapping is no_data, unit_reorganised)."),
        "cmp.roadmap_rule": pgettext("cmp.roadmap_rule",
                                     "Each province is compared with its own figure for the year, which it registers "
                                     "on its roadmap towards the national threshold; the national threshold is for "
                                     "the programme's end."),
        "cmp.col.rank": pgettext("cmp.col.rank", "Rank"),
        "cmp.col.met": pgettext("cmp.col.met", "Met / judged"),
        "cmp.col.score": pgettext("cmp.col.score", "Share met"),
        "cmp.col.note": pgettext("cmp.col.note", "Note"),
        "cmp.unranked": pgettext("cmp.unranked", "Unranked: insufficient data"),
        # why a province is unranked (judge.compare.UNRANKED_WHY)
        "cmp.unranked.no_national_indicator": pgettext("cmp.unranked.no_national_indicator",
                                                       "Unranked: its plan adopts none of the programme's "
                                                       "indicators (coverage {coverage})"),
        "cmp.unranked.nothing_judged": pgettext("cmp.unranked.nothing_judged",
                                                "Unranked: none of the national indicators its plan adopts can "
                                                "be judged yet in the periods compared"),
        "cmp.unranked.low_coverage": pgettext("cmp.unranked.low_coverage",
                                              "Unranked: data for only {coverage} of its plan items due "
                                              "(under 50%)"),
        "cmp.failed": pgettext("cmp.failed", "Failed"),
        "cmp.failed_reason": pgettext("cmp.failed_reason", "Not assessed: {reason}"),
        "cmp.generated": pgettext("cmp.generated",
                                  "Made by plancheck from each province's encoded plan and reported data; every "
                                  "cell cites its plan target and clause."),
        # how dates are written (a Babel/CLDR date pattern)
        "format.date": pgettext("format.date", "yyyy-MM-dd"),
    }


@functools.cache
def labels(lang: str) -> dict[str, str]:
    """Every label in ``lang`` (``vi`` or ``en``), by key."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGS)}")
    with language.using(lang):
        return _labels()


VI: dict[str, str] = labels("vi")
EN: dict[str, str] = labels("en")
LABELS: dict[str, dict[str, str]] = {"vi": VI, "en": EN}

_COMPARATORS = {">=": "≥", "<=": "≤", "==": "=", ">": ">", "<": "<"}


@attrs.frozen
class Locale:
    """Labels and number/date formats of one language (``vi`` or ``en``)."""

    lang: str = attrs.field(validator=attrs.validators.in_(LANGS))

    def t(self, key: str, **values: object) -> str:
        """The label ``key`` in this language, with ``values`` filled in."""
        text = labels(self.lang)[key]
        return text.format(**values) if values else text

    def number(self, x: float, decimals: int = 2) -> str:
        """1.234,5 (vi) or 1,234.5 (en): at most ``decimals`` decimals, no trailing zeros (Babel)."""
        return language.number(x, decimals, self.lang)

    def percent(self, x: float, decimals: int = 2) -> str:
        """32,9% (vi) or 32.9% (en); ``x`` is already in percent."""
        return language.percent(x, decimals, self.lang)

    def day(self, d: date | None) -> str:
        """12/03/2024 (vi) or 2024-03-12 (en); empty for no date."""
        if d is None:
            return ""
        return _day(d, self.t("format.date"), language.babel_locale(self.lang))

    def excel_date_format(self) -> str:
        """The date pattern of :meth:`day` as Excel writes number formats (dd/mm/yyyy)."""
        return self.t("format.date").lower()

    def period(self, period_id: str) -> str:
        """A DHIS2 period id as a reader says it: 2024Q1 is Quý I/2024 (vi), Q1 2024 (en)."""
        return _period(self, period_id)

    def _period(self, period_id: str) -> str:
        from plancheck.plans.calendar import period_words

        with language.using(self.lang):
            return period_words(period_id)

    @staticmethod
    def comparator(cmp: str) -> str:
        """>= as ≥, <= as ≤."""
        return _COMPARATORS.get(cmp, cmp)


# Kept per value (issue 20): a province's report names the same few dozen days and periods tens of
# thousands of times, and Babel reads its locale and pattern again on every call.

@functools.lru_cache(maxsize=8192)
def _day(d: date, pattern: str, locale: str) -> str:
    from babel.dates import format_date

    return format_date(d, pattern, locale=language.babel(locale))


@functools.lru_cache(maxsize=8192)
def _period(loc: Locale, period_id: str) -> str:
    return loc._period(period_id)

"""The words printed around the data, in the interface's language.

Records are made without Qt (they are also printed from the CLI), so they cannot use the
window's translator; the printed labels live here. As on screen, the entries the rule book
writes (event details, refusal texts) stay as recorded: a record must not reword its source.
"""

from __future__ import annotations

from infusion_app.logic.messages import Message
from infusion_app.texts import english, glossary, render
from infusion_app.texts.engine import Table, render_with

LANGUAGES = ("en", "zh_CN")

# the terms the window shows too come from the one glossary; these are the paper's own
ZH_CN: dict[str, str] = {
    **glossary.ZH_CN,
    # page and sections
    "Infusion record": "输注记录",
    "Infusion log": "输注日志",
    "Site": "研究中心",
    "Printed": "打印于",
    "by": "由",
    "Page {page} of {pages}": "第 {page} 页，共 {pages} 页",
    "Head hash": "链头哈希",
    "Cycle": "周期",
    "Dose": "剂次",
    "Record created at station": "记录创建于工作站",
    "All times are local": "所有时间均为本地时间",
    "female": "女",
    "male": "男",
    "unknown": "未知",
    "Dose level / group": "剂量水平/组别",
    "Weight used for the dose": "计算剂量所用体重",
    "Weight on record": "记录体重",
    "measured": "测量于",
    "Expires": "有效期至",
    "Concentration (CoA)": "浓度（检验报告）",
    "Bag volume (CoA)": "袋装体积（检验报告）",
    "Release criteria as checked at release": "放行时核查的放行标准",
    "Release signature": "放行签名",
    "missing": "缺失",
    "Not released": "未放行",
    "not released": "未放行",
    "criteria evaluated at printing": "标准按打印时评估",
    "CoA value": "检验结果",
    "pass": "合格",
    "fail": "不合格",
    "pending": "待定",
    "Product and certificate of analysis": "产品与检验报告",
    "registered": "已登记",
    "Dose calculation": "剂量计算",
    "No dose was calculated.": "未计算剂量。",
    "Target dose": "目标剂量",
    "Concentration": "浓度",
    "viable": "活细胞",
    "viable basis": "按活细胞",
    "total": "总细胞",
    "basis": "计",
    "Viability": "活率",
    "Product volume": "产品体积",
    "Delivered cells": "输注细胞数",
    "Deviation from target": "与目标偏差",
    "tolerance": "允许范围",
    "Final volume": "最终体积",
    "diluent": "稀释液",
    "Drip plan": "滴速计划",
    "drop factor": "滴系数",
    "expected": "预计",
    "Calculated by": "计算者",
    "Verified by": "核对者",
    "not verified": "未核对",
    "Phase": "阶段",
    "Minutes": "分钟",
    "Volume": "体积",
    "Timeline": "时间线",
    "Every entry as recorded. A correction is its own entry and is also named beside the "
    "entry it corrects; the original stays readable.": "每条记录均按原样列出。更正是一条独立记录，"
    "并在被更正的记录旁注明；原记录保持可读。",
    "Occurred": "发生时间",
    "Recorded": "记录时间",
    "By": "操作者",
    "same": "同左",
    "Back-entered": "补录",
    "no reason given": "未给出原因",
    "Signed": "签名",
    "Corrected by": "更正记录",
    "corrected by": "更正记录",
    "No vital signs were recorded.": "未记录生命体征。",
    "baseline": "基线",
    "infusion": "输注中",
    "observation": "观察期",
    "follow-up": "随访",
    "oxygen": "吸氧",
    "air": "空气",
    "low": "低",
    "low-medium": "低-中",
    "medium": "中",
    "high": "高",
    "Trend of the vital signs": "生命体征趋势",
    "Adverse events (CTCAE v5.0)": "不良事件（CTCAE v5.0）",
    "No adverse events were recorded.": "未记录不良事件。",
    "Serious": "严重",
    "Started": "开始时间",
    "reported": "已报告",
    "report due": "报告截止",
    "yes": "是",
    "no": "否",
    "unrelated": "无关",
    "unlikely": "可能无关",
    "possible": "可能有关",
    "probable": "很可能有关",
    "definite": "肯定有关",
    "not recovered / ongoing": "未恢复/持续",
    "recovering": "恢复中",
    "recovered": "已恢复",
    "recovered with sequelae": "恢复伴后遗症",
    "fatal": "死亡",
    "none": "无",
    "rate held or reduced": "维持或降低滴速",
    "infusion interrupted": "输注中断",
    "infusion discontinued": "输注终止",
    "treatment given": "给予治疗",
    "Deviations and overrides": "偏离与越权操作",
    "None recorded.": "无记录。",
    "Kind": "类型",
    "Override": "越权确认",
    "Check failed": "核对失败",
    "Slow rate held": "维持慢速",
    "recorded": "记录于",
    "Signatures": "签名",
    "Electronic signatures (21 CFR 11.50): printed name, date and time, meaning.": (
        "电子签名（21 CFR 11.50）：签名人姓名、日期时间及签名含义。"
    ),
    "Date and time": "日期时间",
    "Signs": "签署对象",
    "Log verification": "日志校验",
    "intact": "完整",
    "BROKEN": "已损坏",
    "Events in this infusion's chain": "本次输注链中的事件数",
    "Head entry": "链头记录",
    "Head hash of this infusion's chain": "本次输注链的链头哈希",
    "To compare a later copy with this paper": "将日后副本与本纸质记录比对",
    # states
    "not started": "未开始",
    "running": "输注中",
    "paused": "已暂停",
    "stopped": "已停止",
    "observation complete": "观察完成",
    # monitor's log
    "Date": "日期",
    "Dose given": "给予剂量",
    "Start": "开始",
    "Duration min": "时长（分钟）",
    "Reactions": "反应数",
    "Max AE grade": "最高不良事件分级",
    "Deviations": "偏离数",
    "Signatures complete": "签名完整",
    "Totals": "合计",
    "with reactions": "有反应",
    "signatures incomplete": "签名不完整",
    "All infusions of patient": "患者全部输注",
    "All infusions of the site from": "本中心输注，自",
    "No infusions match.": "无符合条件的输注。",
    # --- the patient's course record and the log's course columns (issue 14) ---
    "Patient course record": "患者疗程记录",
    "Windows are whole local days of {zone}.": "时间窗按 {zone} 的完整当地日计算。",
    "Patient and enrolment": "患者与入组",
    "Trial protocol": "试验方案",
    "Enrolled": "入组",
    "not enrolled": "未入组",
    "Level changed": "剂量水平变更",
    "from infusion {number}": "自第 {number} 次输注起",
    "End of treatment": "治疗结束",
    "treatment not ended": "治疗未结束",
    "signature": "签名",
    "signed": "已签名",
    "from": "自",
    "Treatment plan and infusions given": "治疗计划与实际输注",
    "This protocol version plans no course.": "此方案版本未规定疗程计划。",
    "Target date": "目标日期",
    "Actual start": "实际开始",
    "Deviation and reason": "偏离及原因",
    "started after its window closed": "时间窗关闭后开始",
    "no reason recorded": "未记录原因",
    "Deviations from the schedule": "偏离计划",
    "Late infusion": "延迟输注",
    "Missed infusion": "错过输注",
    "Late visit": "延迟访视",
    "Missed visit": "错过访视",
    "Early visit": "提前访视",
    "Late sample": "延迟采样",
    "Missed sample": "错过采样",
    "Early sample": "提前采样",
    "Late check": "延迟检查",
    "Missed check": "错过检查",
    "Early check": "提前检查",
    "Late assessment": "延迟评估",
    "Missed assessment": "错过评估",
    "Early assessment": "提前评估",
    "Done at": "完成时间",
    "not done": "未完成",
    "Visits, checks and samples": "访视、检查与样本",
    "None planned.": "无计划项目。",
    "Reason / note": "原因/备注",
    "Adverse events of the course (CTCAE v5.0)": "疗程不良事件（CTCAE v5.0）",
    "Recorded in": "记录于",
    "confirmed": "已确认",
    "rejected": "已否决",
    "review pending": "待审阅",
    "Infusion of the plan": "计划中的输注",
    "Days since previous": "距上次输注天数",
    "Schedule deviation": "计划偏离",
    "Started after its window": "时间窗关闭后开始",
}

# The course's message values in Chinese (the app's message tables are English only so far;
# a code not here prints in English, as before).
ZH_CN_MESSAGES: dict[str, str] = {
    "course_n_of_total": "第 {number} 次输注（共 {total} 次）",
    "course_n_of_at_least": "第 {number} 周期（至少 {least} 个）",
    "course_stopped_before_start": "开始前已停止：{reason}",
    "course_treatment_ended": "治疗已于 {at} 结束（{reason}）",
    "occurrence_after_infusion": "{name}，第 {number} 次输注后",
    "occurrence_week": "{name}，第 {week} 周",
    "occurrence_day": "{name}，第 {day} 天",
    "occurrence_plain": "{name}",
}
_ZH_CN_TABLE = Table(
    language="zh_CN",
    templates={**english.TEXTS, **ZH_CN_MESSAGES},
    yes=english.TABLE.yes,
    no=english.TABLE.no,
    nothing=english.TABLE.nothing,
)


class Labels:
    """``tr("Patient")`` -> the printed label in the chosen language (English as written)."""

    def __init__(self, language: str = "en") -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
        self.language = language
        self._table = ZH_CN if language == "zh_CN" else {}

    def __call__(self, text: str) -> str:
        return self._table.get(text, text)

    def message(self, message: Message) -> str:
        """A message value in the printout's language (the glossary still maps whole lines)."""
        if self.language == "zh_CN" and message.code in ZH_CN_MESSAGES:
            return render_with(_ZH_CN_TABLE, message)
        return self(render(message, self.language))

"""Small data for the people tests (issue 24): activity types with chair rules, a record file."""

from __future__ import annotations

CHAIR = ("{roles: [书记], instead: [副书记, 组织委员, 宣传委员, 纪检委员], "
         "basis: 书记主持，书记不能参加时可以委托副书记或者委员主持}")
TYPES = f"""types:
  committee_meeting: {{name: 支部委员会会议, frequency: month, attendance: committee,
                      required: [host, recorder], chair: {CHAIR}}}
  general_meeting: {{name: 支部党员大会, frequency: quarter, attendance: members, required: [host, recorder],
                    chair: {CHAIR}}}
  group_meeting: {{name: 党小组会, frequency: month, attendance: group, required: [host, recorder],
                  chair: {{roles: [党小组组长], basis: 党小组会由党小组组长主持}}}}
  heart_talk: {{name: 谈心谈话, frequency: null, attendance: pair}}
"""

def meeting(type_: str, day: str, host: str = "张某某", recorder: str | None = "李某某", **more) -> str:
    lines = [f"type: {type_}", f"date: {day}", "topic: 研究工作", f"host: {host}", "evidence: 记录本"]
    if recorder:
        lines.append(f"recorder: {recorder}")
    lines += [f"{k}: {v}" for k, v in more.items()]
    return "\n".join(lines) + "\n"

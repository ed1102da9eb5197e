import { MEDIATION_REFUSALS } from '@gridline/domain';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { DISPUTE_TYPES, FOUND_BY, LEVELS, PARTICIPANT_ROLES, REFERRALS, RISK_LEVELS, STATUSES, VIEWS } from './types';
import { CASE_FORMS } from './actions';
import { EVENT_FACTS } from './view';

const has = (key: string) => Object.hasOwn(zhCN, key) && Object.hasOwn(en, key);

describe('the catalogs speak mediation', () => {
  it('give every refusal of the mediation routes a Chinese and an English message', () => {
    const missing = Object.keys(MEDIATION_REFUSALS).filter((code) => !has(`err.${code}`));
    expect(missing).toEqual([]);
  });

  it('name every word of its vocabularies, every view and every fact of the timeline', () => {
    const keys = [
      ...LEVELS.map((l) => `med.level.${l}`),
      ...LEVELS.map((l) => `med.levelShort.${l}`),
      ...STATUSES.map((s) => `med.status.${s}`),
      ...DISPUTE_TYPES.map((t) => `med.type.${t}`),
      ...RISK_LEVELS.flatMap((r) => [`med.risk.${r}`, `med.risk.badge.${r}`]),
      ...FOUND_BY.map((f) => `med.foundBy.${f}`),
      ...REFERRALS.map((r) => `med.referral.${r}`),
      ...PARTICIPANT_ROLES.map((r) => `med.role.${r}`),
      ...VIEWS.map((v) => `med.view.${v}`),
      ...EVENT_FACTS.map((f) => `med.fact.${f}`),
      ...CASE_FORMS.map((f) => `med.action.${f}`),
      ...['taken_in', 'escalated', 'session', 'note', 'agreed', 'failed', 'follow_up', 'closed', 'reopened', 'invited'].map(
        (k) => `med.event.${k}`,
      ),
    ];
    expect(keys.filter((k) => !has(k))).toEqual([]);
  });

  it('use the vocabularies the town knows in Chinese', () => {
    expect(LEVELS.map((l) => zhCN[`med.level.${l}`])).toEqual(['院落调解', '社区调解', '镇调解中心']);
    expect(STATUSES.map((s) => zhCN[`med.status.${s}`])).toEqual(['调解中', '已达成协议', '已结案', '调解失败']);
    expect(DISPUTE_TYPES.map((t) => zhCN[`med.type.${t}`])).toEqual([
      '邻里纠纷',
      '家庭纠纷',
      '物业纠纷',
      '劳动纠纷',
      '土地纠纷',
      '婚姻纠纷',
      '债务纠纷',
      '其他纠纷',
    ]);
    expect(FOUND_BY.map((f) => zhCN[`med.foundBy.${f}`])).toEqual(['走访发现', '事件转入', '来访', '转介']);
    expect(REFERRALS.map((r) => zhCN[`med.referral.${r}`])).toEqual(['诉讼', '仲裁', '信访']);
    expect(PARTICIPANT_ROLES.map((r) => zhCN[`med.role.${r}`])).toEqual(['法官', '法律工作者', '社区民警']);
  });
});

import { toLocalDate } from '../calendar/vn-time.ts';

/**
 * The messages citizens receive about their dossier, as versioned data: a Zalo ZNS template (the id the
 * OA had approved and the parameters it takes, each within ZNS's limits), an SMS text without
 * diacritics in one 160-character GSM segment where it can be, and an e-mail in Vietnamese, English and
 * French. Nothing more personal than the dossier code and the procedure's name: no ID number, no address.
 * A changed wording is a new version: the notification records the version it was sent with.
 */

export const NOTIFICATION_EVENTS = [
  'received',
  'supplement',
  'result-ready',
  'apology',
  'returned',
  'reminder',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const CHANNELS = ['zalo', 'sms', 'email'] as const;
export type NotificationChannel = (typeof CHANNELS)[number];

/** What a message says, taken from the dossier at the event (strings only, already formatted). */
export type MessageFacts = {
  code: string;
  procedure: string;
  /** dd/mm/yyyy: the appointment, the new date, or the supplement's deadline. */
  date: string;
  /** The centre that handles it. */
  centre: string;
  trackingUrl: string;
  /** What is missing (supplement), or how the result was handed over (returned). */
  detail: string;
};

export type Locale = 'vi' | 'en' | 'fr';

type Template = {
  version: number;
  /** The ZNS template the OA had approved, and its parameters (ZNS: at most 30 characters for most). */
  zns: { templateId: string; params: (f: MessageFacts) => Record<string, string> };
  /** The SMS text, written without diacritics (a Vietnamese Unicode SMS holds only 70 characters). */
  sms: (f: MessageFacts) => string;
  email: Record<Locale, { subject: (f: MessageFacts) => string; text: (f: MessageFacts) => string }>;
};

/** ZNS parameter values are short: a long procedure name is cut with an ellipsis. */
export function znsValue(text: string, max = 30) {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export const TEMPLATES: Record<NotificationEvent, Template> = {
  received: {
    version: 1,
    zns: {
      templateId: 'MOTCUA_RECEIVED_V1',
      params: (f) => ({
        ma_ho_so: f.code,
        thu_tuc: znsValue(f.procedure),
        ngay_hen: f.date,
        tra_cuu: f.trackingUrl,
      }),
    },
    sms: (f) => `Ho so ${f.code} da duoc tiep nhan. Hen tra ${f.date}. Tra cuu: ${f.trackingUrl}`,
    email: {
      vi: {
        subject: (f) => `Hồ sơ ${f.code} đã được tiếp nhận`,
        text: (f) =>
          `${f.centre} đã tiếp nhận hồ sơ ${f.code} (${f.procedure}).\nNgày hẹn trả kết quả: ${f.date}.\nTra cứu tình trạng hồ sơ: ${f.trackingUrl}`,
      },
      en: {
        subject: (f) => `Your application ${f.code} was received`,
        text: (f) =>
          `${f.centre} received your application ${f.code} (${f.procedure}).\nThe result is due on ${f.date}.\nTrack it at ${f.trackingUrl}`,
      },
      fr: {
        subject: (f) => `Votre dossier ${f.code} a été reçu`,
        text: (f) =>
          `${f.centre} a reçu votre dossier ${f.code} (${f.procedure}).\nRésultat prévu le ${f.date}.\nSuivi : ${f.trackingUrl}`,
      },
    },
  },
  supplement: {
    version: 1,
    zns: {
      templateId: 'MOTCUA_SUPPLEMENT_V1',
      params: (f) => ({
        ma_ho_so: f.code,
        can_bo_sung: znsValue(f.detail, 100),
        han_bo_sung: f.date,
        tra_cuu: f.trackingUrl,
      }),
    },
    sms: (f) =>
      `Ho so ${f.code} can bo sung giay to truoc ${f.date}. Nop tai bo phan mot cua hoac truc tuyen: ${f.trackingUrl}`,
    email: {
      vi: {
        subject: (f) => `Hồ sơ ${f.code} cần bổ sung giấy tờ`,
        text: (f) =>
          `Hồ sơ ${f.code} (${f.procedure}) cần bổ sung: ${f.detail}.\nHạn bổ sung: ${f.date}.\nNộp bổ sung tại ${f.centre} hoặc trực tuyến: ${f.trackingUrl}`,
      },
      en: {
        subject: (f) => `Your application ${f.code} needs more documents`,
        text: (f) =>
          `Your application ${f.code} (${f.procedure}) needs: ${f.detail}.\nDeadline: ${f.date}.\nHand them in at ${f.centre} or online: ${f.trackingUrl}`,
      },
      fr: {
        subject: (f) => `Votre dossier ${f.code} doit être complété`,
        text: (f) =>
          `Votre dossier ${f.code} (${f.procedure}) doit être complété : ${f.detail}.\nDate limite : ${f.date}.\nÀ remettre à ${f.centre} ou en ligne : ${f.trackingUrl}`,
      },
    },
  },
  'result-ready': {
    version: 1,
    zns: {
      templateId: 'MOTCUA_RESULT_READY_V1',
      params: (f) => ({ ma_ho_so: f.code, noi_nhan: znsValue(f.centre, 60), tra_cuu: f.trackingUrl }),
    },
    sms: (f) => `Ho so ${f.code} da co ket qua. Nhan tai bo phan mot cua hoac tai ve: ${f.trackingUrl}`,
    email: {
      vi: {
        subject: (f) => `Hồ sơ ${f.code} đã có kết quả`,
        text: (f) =>
          `Hồ sơ ${f.code} (${f.procedure}) đã có kết quả.\nNhận kết quả tại ${f.centre} (mang giấy tiếp nhận và giấy tờ tùy thân), hoặc tải kết quả điện tử tại: ${f.trackingUrl}`,
      },
      en: {
        subject: (f) => `The result of ${f.code} is ready`,
        text: (f) =>
          `The result of your application ${f.code} (${f.procedure}) is ready.\nCollect it at ${f.centre} (bring the receipt and your ID), or download the electronic result: ${f.trackingUrl}`,
      },
      fr: {
        subject: (f) => `Le résultat du dossier ${f.code} est prêt`,
        text: (f) =>
          `Le résultat de votre dossier ${f.code} (${f.procedure}) est prêt.\nÀ retirer à ${f.centre} (avec le reçu et une pièce d'identité), ou à télécharger : ${f.trackingUrl}`,
      },
    },
  },
  apology: {
    version: 1,
    zns: {
      templateId: 'MOTCUA_APOLOGY_V1',
      params: (f) => ({ ma_ho_so: f.code, ngay_hen_moi: f.date, tra_cuu: f.trackingUrl }),
    },
    sms: (f) => `Xin loi ong/ba: ho so ${f.code} tra cham. Ngay hen moi ${f.date}. Tra cuu: ${f.trackingUrl}`,
    email: {
      vi: {
        subject: (f) => `Xin lỗi: hồ sơ ${f.code} được hẹn lại ngày trả`,
        text: (f) =>
          `${f.centre} xin lỗi ông/bà vì hồ sơ ${f.code} (${f.procedure}) chưa có kết quả đúng hẹn.\nNgày hẹn trả mới: ${f.date}.\nTra cứu: ${f.trackingUrl}`,
      },
      en: {
        subject: (f) => `We are sorry: ${f.code} has a new date`,
        text: (f) =>
          `${f.centre} apologises: your application ${f.code} (${f.procedure}) is late.\nThe new date is ${f.date}.\nTrack it at ${f.trackingUrl}`,
      },
      fr: {
        subject: (f) => `Nous sommes désolés : nouvelle date pour ${f.code}`,
        text: (f) =>
          `${f.centre} vous présente ses excuses : votre dossier ${f.code} (${f.procedure}) est en retard.\nNouvelle date : ${f.date}.\nSuivi : ${f.trackingUrl}`,
      },
    },
  },
  returned: {
    version: 1,
    zns: {
      templateId: 'MOTCUA_RETURNED_V1',
      params: (f) => ({ ma_ho_so: f.code, tra_cuu: f.trackingUrl }),
    },
    sms: (f) => `Ho so ${f.code} da tra ket qua. Cam on ong/ba. Danh gia: ${f.trackingUrl}`,
    email: {
      vi: {
        subject: (f) => `Hồ sơ ${f.code} đã trả kết quả`,
        text: (f) =>
          `Hồ sơ ${f.code} (${f.procedure}) đã được trả kết quả (${f.detail}).\nCảm ơn ông/bà. Mời đánh giá sự hài lòng tại: ${f.trackingUrl}`,
      },
      en: {
        subject: (f) => `${f.code}: result handed over`,
        text: (f) =>
          `The result of ${f.code} (${f.procedure}) was handed over (${f.detail}).\nThank you. Rate the service at ${f.trackingUrl}`,
      },
      fr: {
        subject: (f) => `${f.code} : résultat remis`,
        text: (f) =>
          `Le résultat du dossier ${f.code} (${f.procedure}) a été remis (${f.detail}).\nMerci. Donnez votre avis : ${f.trackingUrl}`,
      },
    },
  },
  reminder: {
    version: 1,
    zns: {
      templateId: 'MOTCUA_REMINDER_V1',
      params: (f) => ({ ma_ho_so: f.code, ngay_hen: f.date, noi_nhan: znsValue(f.centre, 60) }),
    },
    sms: (f) => `Nhac hen: ho so ${f.code} hen tra ngay ${f.date}. Tra cuu truoc khi den: ${f.trackingUrl}`,
    email: {
      vi: {
        subject: (f) => `Nhắc hẹn: hồ sơ ${f.code} hẹn trả ngày ${f.date}`,
        text: (f) =>
          `Hồ sơ ${f.code} (${f.procedure}) hẹn trả kết quả ngày ${f.date} tại ${f.centre}.\nTra cứu trước khi đến: ${f.trackingUrl}`,
      },
      en: {
        subject: (f) => `Reminder: ${f.code} is due on ${f.date}`,
        text: (f) =>
          `The result of ${f.code} (${f.procedure}) is due on ${f.date} at ${f.centre}.\nCheck before you come: ${f.trackingUrl}`,
      },
      fr: {
        subject: (f) => `Rappel : dossier ${f.code} prévu le ${f.date}`,
        text: (f) =>
          `Le résultat du dossier ${f.code} (${f.procedure}) est prévu le ${f.date} à ${f.centre}.\nVérifiez avant de venir : ${f.trackingUrl}`,
      },
    },
  },
};

/** dd/mm/yyyy of an instant in Vietnam. */
export function dayFirst(iso: string | null): string {
  if (!iso) return '';
  const [y, m, d] = toLocalDate(new Date(iso)).split('-');
  return `${d}/${m}/${y}`;
}

/** The text without Vietnamese diacritics (đ → d), as SMS gateways send in GSM-7. */
export function withoutDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replaceAll('đ', 'd').replaceAll('Đ', 'D');
}

/** GSM-7 segments of a text: 160 characters in one, 153 per segment when concatenated. */
export function smsSegments(text: string): number {
  return text.length <= 160 ? 1 : Math.ceil(text.length / 153);
}

/** A Vietnamese mobile number as ZNS and SMS gateways take it: 84 and nine digits. */
export function internationalPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.startsWith('84')) return digits;
  if (digits.startsWith('0')) return `84${digits.slice(1)}`;
  return `84${digits}`;
}

/** A phone number or an e-mail address as staff may see it: the last three digits, the domain. */
export function maskRecipient(recipient: string): string {
  const at = recipient.indexOf('@');
  if (at > 0) return `${recipient[0]}***${recipient.slice(at)}`;
  return `${'*'.repeat(Math.max(0, recipient.length - 3))}${recipient.slice(-3)}`;
}

/**
 * Twilio's Messaging Service and IncomingPhoneNumber resources as Twilio returns them, with
 * the incoming-message settings a stand-in must remember between calls. Shared by the demo's
 * phone simulator and the tests' fake Twilio so both answer the real client the same way.
 * Fields as documented at twilio.com/docs/messaging/services/api (Service resource) and
 * twilio.com/docs/phone-numbers/api/incomingphonenumber-resource; form parameter names as
 * twilio-node 6.2 sends them on update (InboundRequestUrl, SmsUrl, …).
 */
export interface SenderInbound {
  /** inbound_request_url (service) or sms_url (number); null when none is set. */
  url: string | null;
  method: string;
  /** Service only: use_inbound_webhook_on_number. */
  deferToNumber: boolean;
  /** Number only: sms_application_sid. */
  applicationSid: string | null;
}

export const NO_INBOUND: SenderInbound = { url: null, method: "POST", deferToNumber: false, applicationSid: null };

/** Applies a POST update's form to a Messaging Service's settings (absent fields are left alone). */
export function updateServiceInbound(current: SenderInbound, form: URLSearchParams): SenderInbound {
  return {
    ...current,
    url: form.has("InboundRequestUrl") ? form.get("InboundRequestUrl") || null : current.url,
    method: form.get("InboundMethod") ?? current.method,
    deferToNumber: form.has("UseInboundWebhookOnNumber") ? form.get("UseInboundWebhookOnNumber") === "true" : current.deferToNumber,
  };
}

/** Applies a POST update's form to a phone number's settings (an empty SmsApplicationSid clears it). */
export function updateNumberInbound(current: SenderInbound, form: URLSearchParams): SenderInbound {
  return {
    ...current,
    url: form.has("SmsUrl") ? form.get("SmsUrl") || null : current.url,
    method: form.get("SmsMethod") ?? current.method,
    applicationSid: form.has("SmsApplicationSid") ? form.get("SmsApplicationSid") || null : current.applicationSid,
  };
}

export function serviceResource(accountSid: string, sid: string, friendlyName: string, inbound: SenderInbound) {
  const url = `https://messaging.twilio.com/v1/Services/${sid}`;
  const created = new Date(0).toISOString().replace(/\.\d+Z$/, "Z");
  return {
    account_sid: accountSid,
    sid,
    date_created: created,
    date_updated: created,
    friendly_name: friendlyName,
    inbound_request_url: inbound.url,
    inbound_method: inbound.method,
    fallback_url: null,
    fallback_method: "POST",
    status_callback: null,
    sticky_sender: true,
    mms_converter: true,
    smart_encoding: true,
    scan_message_content: "inherit",
    fallback_to_long_code: false,
    area_code_geomatch: true,
    synchronous_validation: true,
    validity_period: 14400,
    url,
    links: { phone_numbers: `${url}/PhoneNumbers`, short_codes: `${url}/ShortCodes`, alpha_senders: `${url}/AlphaSenders` },
    usecase: "marketing",
    us_app_to_person_registered: false,
    use_inbound_webhook_on_number: inbound.deferToNumber,
  };
}

export function incomingNumberResource(accountSid: string, sid: string, phoneNumber: string, inbound: SenderInbound) {
  const created = new Date(0).toUTCString();
  return {
    account_sid: accountSid,
    address_sid: null,
    address_requirements: "none",
    api_version: "2010-04-01",
    beta: false,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    date_created: created,
    date_updated: created,
    friendly_name: phoneNumber,
    identity_sid: null,
    phone_number: phoneNumber,
    origin: "twilio",
    sid,
    sms_application_sid: inbound.applicationSid ?? "",
    sms_fallback_method: "POST",
    sms_fallback_url: "",
    sms_method: inbound.method,
    sms_url: inbound.url ?? "",
    status_callback: "",
    status_callback_method: "POST",
    trunk_sid: null,
    uri: `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/${sid}.json`,
    voice_receive_mode: "voice",
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: "POST",
    voice_fallback_url: null,
    voice_method: "POST",
    voice_url: null,
    emergency_status: "Inactive",
    emergency_address_sid: null,
    emergency_address_status: "unregistered",
    bundle_sid: null,
    status: "in-use",
  };
}

/** The IncomingPhoneNumbers list page Twilio answers a read with. */
export function incomingNumbersPage(accountSid: string, numbers: unknown[]) {
  const uri = `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json`;
  return { incoming_phone_numbers: numbers, end: Math.max(0, numbers.length - 1), first_page_uri: uri, next_page_uri: null, page: 0, page_size: 50, previous_page_uri: null, start: 0, uri };
}

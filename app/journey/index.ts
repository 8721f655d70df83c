export { planMessages } from "./plan";
export { readJourneySettings, DEFAULT_JOURNEY_SETTINGS, JourneySettingsSchema } from "./settings";
export { consentStatus, initialState } from "./state";
export { transition } from "./transition";
export type * from "./types";

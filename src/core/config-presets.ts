import { DatasetConfigError } from './errors.ts';

type JsonObject = Record<string, unknown>;

const leak = (reason: string, ...columns: string[]) => columns.map((column) => ({ column, reason }));

const AFTER_CLOSE = 'set or changed as the deal progresses, so it is known only near the outcome';
const ACTIVITY = 'updated by later activity, after the lead was created';

/**
 * Settings for the usual CRM exports, keyed by the name a config gives in `preset`. Each maps the
 * export's standard headers to the label, the id, personal columns to ignore and leakage columns.
 * Column names follow the English UI labels (HubSpot) and API field names (Salesforce).
 */
export const CONFIG_PRESETS: Record<string, JsonObject> = {
  'hubspot-deals': {
    idColumn: 'Record ID',
    labelFromDates: {
      createdColumn: 'Create Date',
      outcomeColumn: 'Deal Stage',
      wonValues: ['Closed Won', 'closedwon'],
      lostValues: ['Closed Lost', 'closedlost'],
      closedColumn: 'Close Date',
    },
    ignoreColumns: ['Deal Name', 'Deal owner', 'Associated Company', 'Associated Contact'],
    leakageColumns: [
      ...leak(AFTER_CLOSE, 'Amount', 'Deal probability', 'Forecast amount', 'Forecast category', 'Closed Won Reason', 'Closed Lost Reason', 'Days to close'),
      ...leak(ACTIVITY, 'Last Activity Date', 'Last Modified Date', 'Next Activity Date', 'Number of Sales Activities'),
    ],
    missingTokens: ['', '(No value)'],
  },
  'hubspot-contacts': {
    idColumn: 'Record ID',
    labelFromDates: {
      createdColumn: 'Create Date',
      outcomeColumn: 'Lifecycle Stage',
      wonValues: ['Customer', 'customer'],
      closedColumn: 'Became a Customer Date',
    },
    ignoreColumns: ['First Name', 'Last Name', 'Email', 'Phone Number', 'Mobile Phone Number', 'Contact owner', 'Street Address'],
    leakageColumns: [
      ...leak(AFTER_CLOSE, 'Lead Status', 'Recent Deal Amount', 'Total Revenue', 'Days To Close', 'Associated Deal'),
      ...leak(ACTIVITY, 'Last Activity Date', 'Last Contacted', 'Last Modified Date', 'Number of Sales Activities'),
    ],
    missingTokens: ['', '(No value)'],
  },
  'salesforce-opportunities': {
    idColumn: 'Id',
    labelFromDates: {
      createdColumn: 'CreatedDate',
      outcomeColumn: 'IsWon',
      wonValues: ['true', '1'],
      isClosedColumn: 'IsClosed',
      closedColumn: 'CloseDate',
    },
    ignoreColumns: ['Name', 'OwnerId', 'AccountId', 'ContactId', 'CreatedById', 'LastModifiedById'],
    leakageColumns: [
      ...leak(AFTER_CLOSE, 'StageName', 'Probability', 'ForecastCategory', 'ForecastCategoryName', 'ExpectedRevenue', 'Amount', 'FiscalQuarter', 'FiscalYear', 'Fiscal', 'NextStep', 'PushCount', 'LastStageChangeDate'),
      ...leak(ACTIVITY, 'LastActivityDate', 'LastModifiedDate', 'SystemModstamp', 'HasOpenActivity', 'HasOverdueTask'),
    ],
  },
  'salesforce-leads': {
    idColumn: 'Id',
    labelFromDates: {
      createdColumn: 'CreatedDate',
      outcomeColumn: 'IsConverted',
      wonValues: ['true', '1'],
      closedColumn: 'ConvertedDate',
    },
    ignoreColumns: ['FirstName', 'LastName', 'Name', 'Email', 'Phone', 'MobilePhone', 'Street', 'OwnerId'],
    leakageColumns: [
      ...leak(AFTER_CLOSE, 'Status', 'Rating', 'ConvertedAccountId', 'ConvertedContactId', 'ConvertedOpportunityId'),
      ...leak(ACTIVITY, 'LastActivityDate', 'LastModifiedDate', 'SystemModstamp', 'LastViewedDate', 'IsUnreadByOwner'),
    ],
  },
};

/**
 * Returns the config JSON with its preset's settings underneath: objects merge key by key, and
 * any other value in the config (a string, number or array) replaces the preset's. JSON without
 * a `preset` field comes back unchanged.
 */
export function applyConfigPreset(json: unknown, configPath: string): unknown {
  if (!isObject(json) || json.preset === undefined) return json;
  const preset = typeof json.preset === 'string' ? CONFIG_PRESETS[json.preset] : undefined;
  if (!preset) {
    throw new DatasetConfigError(
      `dataset config '${configPath}': preset ${JSON.stringify(json.preset)} is unknown; expected one of ${Object.keys(CONFIG_PRESETS).join(', ')}`,
    );
  }
  return mergeSettings(preset, json);
}

/**
 * Lists the ignored and leakage columns that the config's preset names and the config itself does
 * not: a given export may lack some of them, so they are excluded where present and never required.
 */
export function presetOnlyExclusions(json: unknown): Set<string> {
  if (!isObject(json) || typeof json.preset !== 'string') return new Set();
  const preset = CONFIG_PRESETS[json.preset];
  if (!preset) return new Set();
  const own = new Set(exclusionNames(json));
  return new Set(exclusionNames(preset).filter((name) => !own.has(name)));
}

function exclusionNames(settings: JsonObject): string[] {
  const ignored = Array.isArray(settings.ignoreColumns) ? settings.ignoreColumns : [];
  const leakage = Array.isArray(settings.leakageColumns) ? settings.leakageColumns : [];
  return [
    ...ignored.filter((name): name is string => typeof name === 'string'),
    ...leakage.flatMap((entry) => (isObject(entry) && typeof entry.column === 'string' ? [entry.column] : [])),
  ];
}

function mergeSettings(base: JsonObject, override: JsonObject): JsonObject {
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isObject(current) && isObject(value) ? mergeSettings(current, value) : value;
  }
  return merged;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Log-search alerts on the App Insights data and one action group that e-mails the on-call address.
@description('Prefix for alert rule names.')
param namePrefix string

@description('Azure region of the alert rules (same as App Insights).')
param location string

@description('Tags for the resources.')
param tags object

@description('Application Insights component the queries run against.')
param appInsightsName string

@description('E-mail address that receives alerts.')
param alertEmail string

@description('Alert when more than this percentage of requests in 15 minutes answer 5xx.')
param http5xxPercentThreshold int

@description('Alert when the p95 request duration over 15 minutes exceeds this many milliseconds.')
param p95LatencyThresholdMs int

@description('Alerts fire only when true (dev can keep the rules but silence them).')
param enabled bool

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-oncall'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: take(replace(namePrefix, '-', ''), 12)
    enabled: true
    emailReceivers: [
      {
        name: 'oncall-email'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// Each rule: a KQL query over App Insights tables; `metricMeasureColumn` is the value compared to the threshold.
var rules = [
  {
    name: 'http-5xx-rate'
    displayName: 'Vigor: HTTP 5xx rate above ${http5xxPercentThreshold}%'
    severity: 1
    autoMitigate: true
    query: '''
requests
| summarize total = count(), failed = countif(toint(resultCode) >= 500)
| where total >= 20
| extend failedPercent = 100.0 * failed / total
'''
    timeAggregation: 'Maximum'
    metricMeasureColumn: 'failedPercent'
    threshold: http5xxPercentThreshold
  }
  {
    name: 'p95-latency'
    displayName: 'Vigor: p95 request duration above ${p95LatencyThresholdMs} ms'
    severity: 2
    autoMitigate: true
    query: '''
requests
| where url !has "/api/health"
| summarize total = count(), p95 = percentile(duration, 95)
| where total >= 20
'''
    timeAggregation: 'Maximum'
    metricMeasureColumn: 'p95'
    threshold: p95LatencyThresholdMs
  }
  {
    // The Durable extension logs every orchestration state change under Host.Triggers.DurableTask; the app may
    // also emit an OrchestrationFailed custom event with richer context.
    name: 'orchestration-failures'
    displayName: 'Vigor: Durable orchestration failures'
    severity: 2
    autoMitigate: true
    query: '''
union
  (traces
   | where tostring(customDimensions.Category) == "Host.Triggers.DurableTask"
   | where tostring(customDimensions["prop__state"]) == "Failed"
   | where tostring(customDimensions["prop__functionType"]) == "Orchestrator"),
  (customEvents
   | where name == "OrchestrationFailed")
'''
    timeAggregation: 'Count'
    metricMeasureColumn: ''
    threshold: 0
  }
  {
    // Logged by the budget-watch timer ([LoggerMessage] EventName, or the message text as a fallback).
    name: 'budget-threshold-crossed'
    displayName: 'Vigor: LLM budget threshold crossed'
    severity: 2
    autoMitigate: false
    query: '''
union
  (traces
   | where tostring(customDimensions.EventName) == "BudgetThresholdCrossed" or message has "BudgetThresholdCrossed"),
  (customEvents
   | where name == "BudgetThresholdCrossed")
'''
    timeAggregation: 'Count'
    metricMeasureColumn: ''
    threshold: 0
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in rules: {
    name: '${namePrefix}-${rule.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: rule.displayName
      severity: rule.severity
      enabled: enabled
      scopes: [
        appInsights.id
      ]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT15M'
      autoMitigate: rule.autoMitigate
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: rule.timeAggregation
            metricMeasureColumn: empty(rule.metricMeasureColumn) ? null : rule.metricMeasureColumn
            operator: 'GreaterThan'
            threshold: rule.threshold
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: {
        actionGroups: [
          actionGroup.id
        ]
      }
    }
  }
]

output actionGroupId string = actionGroup.id

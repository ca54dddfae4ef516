// An Azure Monitor workbook over App Insights: LLM cost per tier and provider, fallback rate, p95 latency and
// error rate, plus tokens, LLM call latency, circuit breakers and budget utilisation. The LLM figures come from the
// app's OpenTelemetry metrics (customMetrics; Vigor.Core/Infrastructure/Telemetry/VigorMetrics.cs, and a test keeps
// the names here in step with it):
//   vigor.llm.cost_usd, vigor.llm.tokens (tier, provider[, direction]), vigor.llm.requests, vigor.llm.latency
//   (tier, provider, outcome), vigor.llm.fallbacks (tier, provider, reason), vigor.llm.breaker_state (provider),
//   vigor.budget.utilisation (scope).
@description('Workbook display name.')
param displayName string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('Application Insights component the workbook queries.')
param appInsightsName string

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

var costByTierAndProvider = '''
customMetrics
| where name == "vigor.llm.cost_usd"
| extend tier = tostring(customDimensions.tier), provider = tostring(customDimensions.provider)
| summarize costUsd = round(sum(valueSum), 4) by tier, provider
| order by costUsd desc
'''
var costOverTime = '''
customMetrics
| where name == "vigor.llm.cost_usd"
| extend series = strcat(tostring(customDimensions.tier), " / ", tostring(customDimensions.provider))
| summarize costUsd = sum(valueSum) by series, bin(timestamp, {TimeRange:grain})
| render timechart
'''
var fallbackRate = '''
customMetrics
| where name in ("vigor.llm.fallbacks", "vigor.llm.requests")
| summarize fallbacks = sumif(valueSum, name == "vigor.llm.fallbacks"), requests = sumif(valueSum, name == "vigor.llm.requests") by bin(timestamp, {TimeRange:grain})
| extend fallbackRatePercent = iff(requests == 0, 0.0, round(100.0 * fallbacks / requests, 2))
| project timestamp, fallbackRatePercent
| render timechart
'''
var tokensByTierAndProvider = '''
customMetrics
| where name == "vigor.llm.tokens"
| extend tier = tostring(customDimensions.tier), provider = tostring(customDimensions.provider), direction = tostring(customDimensions.direction)
| summarize tokens = sum(valueSum) by tier, provider, direction
| order by tokens desc
'''
var llmLatency = '''
customMetrics
| where name == "vigor.llm.latency"
| extend provider = tostring(customDimensions.provider)
| summarize avgMs = round(sum(valueSum) / sum(valueCount), 0), maxMs = max(valueMax), calls = sum(valueCount) by provider
| order by avgMs desc
'''
var breakersAndBudgets = '''
customMetrics
| where name in ("vigor.llm.breaker_state", "vigor.budget.utilisation")
| extend subject = iff(name == "vigor.llm.breaker_state", tostring(customDimensions.provider), tostring(customDimensions.scope))
| summarize arg_max(timestamp, value) by name, subject
| extend reading = iff(name == "vigor.llm.breaker_state", case(value >= 2, "open", value >= 1, "half-open", "closed"), strcat(tostring(round(100.0 * value, 1)), " %"))
| project metric = iff(name == "vigor.llm.breaker_state", "circuit breaker", "budget used"), subject, reading, asOf = timestamp
| order by metric asc, subject asc
'''
var p95Latency = '''
requests
| where url !has "/api/health"
| summarize p95DurationMs = percentile(duration, 95) by bin(timestamp, {TimeRange:grain})
| render timechart
'''
var errorRate = '''
requests
| summarize total = count(), failed = countif(success == false), serverErrors = countif(toint(resultCode) >= 500) by bin(timestamp, {TimeRange:grain})
| extend errorRatePercent = iff(total == 0, 0.0, round(100.0 * failed / total, 2)), serverErrorRatePercent = iff(total == 0, 0.0, round(100.0 * serverErrors / total, 2))
| project timestamp, errorRatePercent, serverErrorRatePercent
| render timechart
'''

var queryItems = [
  {
    name: 'cost-by-tier-provider'
    title: 'LLM cost (USD) per tier and provider'
    query: costByTierAndProvider
    visualization: 'table'
  }
  {
    name: 'cost-over-time'
    title: 'LLM cost (USD) over time'
    query: costOverTime
    visualization: 'timechart'
  }
  {
    name: 'fallback-rate'
    title: 'Fallback rate (% of LLM requests)'
    query: fallbackRate
    visualization: 'timechart'
  }
  {
    name: 'tokens-by-tier-provider'
    title: 'LLM tokens per tier and provider'
    query: tokensByTierAndProvider
    visualization: 'table'
  }
  {
    name: 'llm-latency'
    title: 'LLM call latency by provider (ms)'
    query: llmLatency
    visualization: 'table'
  }
  {
    name: 'breakers-and-budgets'
    title: 'Circuit breakers and budget utilisation (latest)'
    query: breakersAndBudgets
    visualization: 'table'
  }
  {
    name: 'p95-latency'
    title: 'p95 request duration (ms)'
    query: p95Latency
    visualization: 'timechart'
  }
  {
    name: 'error-rate'
    title: 'Error rate (% of requests)'
    query: errorRate
    visualization: 'timechart'
  }
]

var workbookContent = {
  version: 'Notebook/1.0'
  items: concat(
    [
      {
        type: 9
        name: 'parameters'
        content: {
          version: 'KqlParameterItem/1.0'
          parameters: [
            {
              id: 'b0c2d5f4-6a61-4c39-9d5b-3f1d3e0a7c11'
              version: 'KqlParameterItem/1.0'
              name: 'TimeRange'
              label: 'Time range'
              type: 4
              isRequired: true
              value: {
                durationMs: 86400000
              }
              typeSettings: {
                selectableValues: [
                  { durationMs: 3600000 }
                  { durationMs: 86400000 }
                  { durationMs: 604800000 }
                  { durationMs: 2592000000 }
                ]
              }
            }
          ]
          style: 'pills'
          queryType: 0
          resourceType: 'microsoft.insights/components'
        }
      }
    ],
    map(queryItems, item => {
      type: 3
      name: item.name
      content: {
        version: 'KqlItem/1.0'
        title: item.title
        query: item.query
        size: 0
        timeContextFromParameter: 'TimeRange'
        queryType: 0
        resourceType: 'microsoft.insights/components'
        visualization: item.visualization
      }
    })
  )
  fallbackResourceIds: [
    appInsights.id
  ]
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // Workbook names must be GUIDs; derive a stable one so redeployments update in place.
  name: guid(resourceGroup().id, appInsights.id, 'vigor-operations-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: appInsights.id
    serializedData: string(workbookContent)
  }
}

output id string = workbook.id

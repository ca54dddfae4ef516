// An Azure Monitor workbook over App Insights: LLM cost per tier and provider, fallback rate, p95 latency and
// error rate. The LLM figures come from the app's OpenTelemetry metrics (customMetrics):
//   vigor.llm.cost_usd (dimensions tier, provider), vigor.llm.requests, vigor.llm.fallbacks.
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

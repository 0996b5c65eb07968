import { checkScenarioText } from '@meshsim/scenarios';

const text = `name: canary
duration: 30 seconds
traffic:
  - from: {selector: {matchLabels: {app: sleep}}}
    url: http://reviews:9080/reviews/0
    rat: 50
`;
// checkScenarioText reports every problem of the first failing stage; loadScenario throws the first one.
for (const error of checkScenarioText({ file: 'canary.yaml', text }).errors) console.log(error.message);

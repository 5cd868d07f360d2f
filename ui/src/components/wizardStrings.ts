// The words of the wizard bar and page list, the same in every wizard (CON-3). A feature adds
// only what is its own: a Finish button, what its Progress page says, its check failures.
export const wizardBar = {
  pagesLabel: "Wizard pages",
  previous: "< Previous",
  next: "Next >",
  summary: "Summary",
  cancel: "Cancel",
  close: "Close",
  checking: "Checking…",
  dismiss: "Dismiss",
};

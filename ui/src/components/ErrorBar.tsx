// A backend failure as a Fluent MessageBar: the administrator-facing message, verbatim.
import { MessageBar, MessageBarBody, MessageBarTitle, MessageBarActions, Button } from "@fluentui/react-components";
import { DismissRegular } from "@fluentui/react-icons";

export interface ErrorBarProps {
  /** Heading, e.g. "Cannot load the updates". */
  title: string;
  message: string;
  onDismiss?(): void;
  onRetry?(): void;
  retryLabel?: string;
  dismissLabel?: string;
}

export function ErrorBar({ title, message, onDismiss, onRetry, retryLabel, dismissLabel }: ErrorBarProps) {
  return (
    <MessageBar intent="error" role="alert" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {message}
      </MessageBarBody>
      {(onDismiss || onRetry) && (
        <MessageBarActions
          containerAction={
            onDismiss && (
              <Button appearance="transparent" aria-label={dismissLabel ?? "Dismiss"} icon={<DismissRegular />} onClick={onDismiss} />
            )
          }
        >
          {onRetry && <Button onClick={onRetry}>{retryLabel ?? "Retry"}</Button>}
        </MessageBarActions>
      )}
    </MessageBar>
  );
}

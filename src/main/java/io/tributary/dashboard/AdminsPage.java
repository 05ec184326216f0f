package io.tributary.dashboard;

import io.tributary.platform.web.ApiException;
import io.tributary.security.AdminAccountRules;
import io.tributary.security.AdminAccounts;
import io.tributary.security.AdminSessions;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * {@code /dashboard/admins}: the operators who may use the dashboard and the API. Add an admin,
 * remove one (never yourself, never the last: {@link AdminAccounts} refuses that too), change your
 * own password (your other sessions end; this one continues). A protected view: it opens only from
 * the dashboard's own link, which carries the session's token.
 */
@Named("admins")
@ViewScoped
public class AdminsPage implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String SELF = "/dashboard/admins?faces-redirect=true";

  @Inject AdminAccounts accounts;
  @Inject AdminSessions sessions;
  @Inject Operator operator;

  private transient List<String> usernames;
  private String newUsername;
  private String newPassword;
  private String newPasswordAgain;
  private String currentPassword;
  private String changedPassword;
  private String changedPasswordAgain;

  public List<String> getUsernames() {
    if (usernames == null) {
      usernames = accounts.usernames();
    }
    return usernames;
  }

  public boolean isMe(String username) {
    return Objects.equals(username, operator.getUsername());
  }

  public int getMinimumPasswordLength() {
    return AdminAccountRules.PASSWORD_MIN_LENGTH;
  }

  public String add() {
    String name = newUsername == null ? "" : newUsername.strip();
    String password = newPassword;
    String again = newPasswordAgain;
    clearSecrets();
    if (!Objects.equals(password, again)) {
      Pages.error("The two passwords for the new admin differ; type the same password twice.");
      return null;
    }
    try {
      accounts.create(name, password);
      Pages.info("Admin '" + name + "' added. They can sign in now.");
      return done();
    } catch (ApiException e) {
      Pages.error(e.getMessage());
      return null;
    }
  }

  public String remove(String username) {
    if (isMe(username)) {
      Pages.error("You cannot remove yourself; ask another admin to do it.");
      return null;
    }
    try {
      accounts.remove(username);
      Pages.info("Admin '" + username + "' removed; their sessions have ended.");
      return done();
    } catch (ApiException e) {
      Pages.error(e.getMessage());
      return null;
    }
  }

  public String changePassword() {
    String current = currentPassword;
    String wanted = changedPassword;
    String again = changedPasswordAgain;
    clearSecrets();
    if (!Objects.equals(wanted, again)) {
      Pages.error("The two new passwords differ; type the same new password twice.");
      return null;
    }
    String me = operator.getUsername();
    try {
      accounts.changePassword(me, current, wanted);
    } catch (ApiException e) {
      Pages.error(e.getMessage());
      return null;
    }
    HttpServletRequest request =
        (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest();
    sessions.renew(request, me);
    Pages.info("Your password is changed. Your other sessions have ended; this one continues.");
    return done();
  }

  private String done() {
    FacesContext.getCurrentInstance().getExternalContext().getFlash().setKeepMessages(true);
    return SELF;
  }

  private void clearSecrets() {
    newPassword = null;
    newPasswordAgain = null;
    currentPassword = null;
    changedPassword = null;
    changedPasswordAgain = null;
  }

  public String getNewUsername() {
    return newUsername;
  }

  public void setNewUsername(String v) {
    newUsername = v;
  }

  public String getNewPassword() {
    return null;
  }

  public void setNewPassword(String v) {
    newPassword = v;
  }

  public String getNewPasswordAgain() {
    return null;
  }

  public void setNewPasswordAgain(String v) {
    newPasswordAgain = v;
  }

  public String getCurrentPassword() {
    return null;
  }

  public void setCurrentPassword(String v) {
    currentPassword = v;
  }

  public String getChangedPassword() {
    return null;
  }

  public void setChangedPassword(String v) {
    changedPassword = v;
  }

  public String getChangedPasswordAgain() {
    return null;
  }

  public void setChangedPasswordAgain(String v) {
    changedPasswordAgain = v;
  }
}

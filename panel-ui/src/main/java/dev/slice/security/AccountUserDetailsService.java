package dev.slice.security;

import dev.slice.account.AccountService;
import dev.slice.account.LoginAccount;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Form login against the orchestrator's accounts; hashes are checked with its PasswordEncoder bean.
 * The role becomes {@code ROLE_OPERATOR / ROLE_RESELLER / ROLE_CUSTOMER} for the views' {@code @RolesAllowed}.
 */
class AccountUserDetailsService implements UserDetailsService {

    private final AccountService accounts;

    AccountUserDetailsService(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        LoginAccount account = accounts.findForLogin(username)
                .orElseThrow(() -> new UsernameNotFoundException("no account " + username));
        return User.withUsername(account.username())
                .password(account.passwordHash())
                .disabled(!account.enabled())
                .roles(account.role().name())
                .build();
    }
}

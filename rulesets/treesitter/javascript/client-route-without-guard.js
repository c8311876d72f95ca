// Test cases for client-route-without-guard.yaml (annotations as in semgrep --test).
// Valid JavaScript, TypeScript and TSX: the rule tests scan it under all three.
import { RouterModule, provideRouter } from "@angular/router";

const routes = [
  { path: "admin", component: AdminComponent, canActivate: [AdminGuard] },
  // ruleid: javascript.authz.client-route-without-guard
  { path: "orders", component: OrdersComponent },
  // ok: javascript.authz.client-route-without-guard
  { path: "", component: HomeComponent },
  // ok: javascript.authz.client-route-without-guard
  { path: "login", component: LoginComponent },
  // ok: javascript.authz.client-route-without-guard
  { path: "about/team", component: AboutComponent },
  // ok: javascript.authz.client-route-without-guard
  { path: "forgot-password", component: ForgotPasswordComponent },
  // ok: javascript.authz.client-route-without-guard
  { path: "404", component: NotFoundComponent },
  // ok: javascript.authz.client-route-without-guard
  { path: "old-orders", redirectTo: "orders" },
  {
    path: "account",
    canActivate: [AuthGuard],
    children: [
      // ok: javascript.authz.client-route-without-guard
      { path: "settings", component: SettingsComponent },
    ],
  },
  {
    path: "shop",
    loadChildren: () => import("./shop/shop.module").then((m) => m.ShopModule),
    canMatch: [authGuard],
  },
  {
    // ruleid: javascript.authz.client-route-without-guard
    path: "reports",
    component: ReportsComponent,
    children: [
      { path: "mine", component: MyReportsComponent, canActivate: [LoginGuard] },
      // ruleid: javascript.authz.client-route-without-guard
      { path: "all", component: AllReportsComponent },
    ],
  },
  {
    // ok: javascript.authz.client-route-without-guard
    path: "editor",
    children: [
      { path: "", component: EditorComponent, canActivate: [AuthGuard] },
      { path: ":slug", component: EditorComponent, canActivate: [AuthGuard] },
    ],
  },
  // ruleid: javascript.authz.client-route-without-guard
  { matcher: secretMatcher, component: SecretComponent },
  // ok: javascript.authz.client-route-without-guard
  { path: "**", component: NotFoundComponent },
];
export const AppRouting = RouterModule.forRoot(routes, { useHash: true });

// All public: nothing to compare with.
export const HelpRouting = RouterModule.forChild([
  // ok: javascript.authz.client-route-without-guard
  { path: "help", component: HelpComponent },
  // ok: javascript.authz.client-route-without-guard
  { path: "faq", component: FaqComponent },
]);

// Mostly open pages and one guarded account page: the open ones are the design, not a lapse.
export const ShopRouting = RouterModule.forChild([
  { path: "account", component: AccountComponent, canActivate: [AuthGuard] },
  // ok: javascript.authz.client-route-without-guard
  { path: "products", component: ProductsComponent },
  // ok: javascript.authz.client-route-without-guard
  { path: "basket", component: BasketComponent },
]);

// A sign-in page's guard (it sends signed-in users away) says nothing about the others.
export const AuthRouting = RouterModule.forChild([
  { path: "login", component: LoginComponent, canActivate: [NotSignedInGuard] },
  // ok: javascript.authz.client-route-without-guard
  { path: "articles/:slug", component: ArticleComponent },
]);

export const appConfig = {
  providers: [
    provideRouter([
      { path: "billing", component: BillingComponent, canActivate: [() => inject(AuthService).isLoggedIn()] },
      // ruleid: javascript.authz.client-route-without-guard
      { path: "invoices", component: InvoicesComponent },
    ]),
  ],
};

// Not a routes array: never given to the router.
const links = [
  { path: "a", canActivate: [] },
  // ok: javascript.authz.client-route-without-guard
  { path: "b" },
];
